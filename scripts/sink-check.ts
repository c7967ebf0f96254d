// `npm run sink:check [-- --sink <LOG_SINK>]`: sends one test record to the sink configured in
// the environment (LOG_SINK, LOG_SINK_TOKEN or LOG_SINK_SECRET_ID, LOG_SINK_*) and reports
// success, latency and the store's answer. Exits 1 when the record was not stored.
import '../tools/require-node.js';
import { loadConfig } from '../forwarder/src/config.js';
import { checkSink } from './sink-check-run.js';

try {
  const args = process.argv.slice(2);
  const at = args.indexOf('--sink');
  if (at >= 0 && !args[at + 1]) throw new Error('--sink needs a LOG_SINK URL');
  const env = at >= 0 ? { ...process.env, LOG_SINK: args[at + 1] } : process.env;
  const report = await checkSink(loadConfig(env));
  const verdict = report.ok ? 'ok' : 'FAILED';
  process.stdout.write(
    `sink:check ${verdict}: ${report.sink} answered in ${report.latencyMs.toFixed(0)} ms\n` +
      `  answer:   ${report.answer}\n` +
      (report.ok ? `  event.id: ${report.eventId} (search for it to see the stored record)\n` : ''),
  );
  if (!report.ok) process.exitCode = 1;
} catch (error) {
  process.stderr.write(`sink:check: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
