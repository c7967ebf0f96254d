import { Writable } from 'node:stream';
import type { ForwardDependencies } from '../../forwarder/src/forward.js';
import { createSink } from '../../forwarder/src/sinks/index.js';
import type { SinkOptions } from '../../forwarder/src/sinks/types.js';
import { StreamTracker } from '../../forwarder/src/stream-context.js';
import { createLogger } from '../../shared/logger.js';

/** A logger whose lines are kept in memory, so tests can read what the forwarder logged. */
export function memoryLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ service: 'log-forwarder', stage: 'test', destination }), lines };
}

/** Real forwarder dependencies for a sink location, with short retry steps for tests. */
export async function forwarderDeps(
  location: string,
  options: SinkOptions & { requestTimeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
) {
  const { logger, lines } = memoryLogger();
  const deps: ForwardDependencies = {
    sink: await createSink(location, options),
    logger,
    functionName: 'log-forwarder-test-forwarder',
    transform: { region: 'us-east-1', stage: 'dev', streams: new StreamTracker() },
    delivery: {
      concurrency: 4,
      requestTimeoutMs: options.requestTimeoutMs ?? 2_000,
      retry: { baseDelayMs: 5, maxDelayMs: 40 },
      ...(options.sleep ? { sleep: options.sleep } : {}),
    },
  };
  return { deps, lines };
}
