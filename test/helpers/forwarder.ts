import type { ForwardDependencies } from '../../forwarder/src/forward.js';
import { createSink } from '../../forwarder/src/sinks/index.js';
import type { SinkOptions } from '../../forwarder/src/sinks/types.js';
import { StreamTracker } from '../../forwarder/src/stream-context.js';
import { memoryLogger } from './memory-logger.js';

/** Real forwarder dependencies for a sink location, with short retry steps for tests. */
export async function forwarderDeps(
  location: string,
  options: SinkOptions & { requestTimeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
) {
  const { logger, lines } = memoryLogger({ service: 'log-forwarder' });
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
