// Runs the journey against a stack and prints it with the request's log lines as a table.
import { formatTable } from '../../tools/logs/format.js';
import { openSearchStore, searchLogs } from '../../tools/logs/search.js';
import type { EndpointsFile } from '../endpoints.js';
import { runJourney, type JourneyResult } from './journey.js';

/** The SQLite file of a `sqlite:<path>` sink, or undefined for any other sink. */
export function sqliteFileOf(logSink: string): string | undefined {
  return logSink.startsWith('sqlite:') ? logSink.slice('sqlite:'.length).replace(/^\/\//, '') : undefined;
}

export async function runDemo(stack: EndpointsFile, print: (line: string) => void, color = false): Promise<JourneyResult> {
  const file = sqliteFileOf(stack.logSink);
  if (!file) throw new Error(`the demo reads the request's logs back from a SQLite store; LOG_SINK is ${stack.logSink}`);
  const result = await runJourney(stack, {
    print: (line) => print(`demo: ${line}`),
    readLogs: async (traceId) => {
      const store = await openSearchStore(file).catch(() => undefined);
      if (!store) return [];
      try {
        return searchLogs(store, { trace: traceId }, 100).rows;
      } finally {
        store.db.close();
      }
    },
  });
  for (const line of formatTable(result.logs, { color, width: process.stdout.columns })) print(`  ${line}`);
  print(`demo: search them again with  npm run logs -- search --trace ${result.traceId}`);
  return result;
}
