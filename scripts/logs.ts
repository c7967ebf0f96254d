// `npm run logs -- search [text] [filters] [--json] [--follow]`: searches the local SQLite log
// store. Exit codes: 0 done, 2 usage or missing store, 1 anything else.
import '../tools/require-node.js';
import { parseLogsArgs, logsUsage, type SearchCommand } from './logs/args.js';
import { formatJson, formatTable, functionWidthOf, type LogRow } from '../tools/logs/format.js';
import { followLogs, openSearchStore, searchLogs } from '../tools/logs/search.js';

const stdout = process.stdout;
const stopped = new AbortController();
// `npm run logs … | head` closes the pipe: stop quietly instead of dying on EPIPE.
stdout.on('error', () => stopped.abort());

async function search(command: SearchCommand): Promise<void> {
  const store = await openSearchStore(command.db);
  try {
    const color = stdout.isTTY === true && !process.env.NO_COLOR;
    const width = stdout.isTTY ? stdout.columns : undefined;
    let functionWidth = 1;
    const print = (rows: LogRow[]): void => {
      if (rows.length === 0) return;
      // The column only widens while following, so lines already shown stay aligned with new ones.
      functionWidth = Math.max(functionWidth, functionWidthOf(rows));
      const lines = command.json ? formatJson(rows) : formatTable(rows, { color, width, functionWidth });
      stdout.write(`${lines.join('\n')}\n`);
    };
    const { rows, cursor } = searchLogs(store, command.filters, command.limit);
    print(rows);
    if (rows.length === 0 && !command.follow) process.stderr.write('no matching records\n');
    if (!command.follow) return;
    process.once('SIGINT', () => stopped.abort());
    process.once('SIGTERM', () => stopped.abort());
    await followLogs(store, command.filters, cursor, print, { signal: stopped.signal });
  } finally {
    store.db.close();
  }
}

try {
  const command = parseLogsArgs(process.argv.slice(2), { now: new Date(), cwd: process.cwd(), logSink: process.env.LOG_SINK });
  if (command.command === 'help') stdout.write(`${logsUsage}\n`);
  else await search(command);
} catch (error) {
  const { name, message } = error as Error;
  const hint = name === 'UsageError' ? ' (npm run logs -- --help)' : '';
  process.stderr.write(`logs: ${String(message).split('\n')[0]}${hint}\n`);
  process.exitCode = name === 'UsageError' || name === 'LogStoreError' ? 2 : 1;
}
