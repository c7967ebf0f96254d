// LOG_SINK's scheme picks the sink; each is loaded only when named.
import { SinkConfigError } from '../errors.js';
import type { Sink, SinkFactory, SinkOptions } from './types.js';
import { redactUserInfo } from './shared/url.js';

/**
 * Each sink by the LOG_SINK schemes that name it. A sink is imported on demand, so a deployed
 * bundle loads the chunk of the sink it uses and no other.
 */
const sinks: ReadonlyArray<{ schemes: readonly string[]; load: () => Promise<{ sinkFactory: SinkFactory }> }> = [
  { schemes: ['sqlite:'], load: () => import('./sqlite/index.js') },
  { schemes: ['http:', 'https:'], load: () => import('./http/index.js') },
  { schemes: ['loki+http:', 'loki+https:'], load: () => import('./loki/index.js') },
  { schemes: ['splunk+http:', 'splunk+https:'], load: () => import('./splunk/index.js') },
  { schemes: ['datadog+http:', 'datadog+https:'], load: () => import('./datadog/index.js') },
  { schemes: ['opensearch+https:', 'opensearch+http:', 'elasticsearch+https:', 'elasticsearch+http:'], load: () => import('./opensearch/index.js') },
];

/** The sink schemes LOG_SINK accepts. */
export const sinkSchemes: readonly string[] = sinks.flatMap((sink) => sink.schemes);

/** Creates the sink named by LOG_SINK's scheme. */
export async function createSink(location: string, options: SinkOptions = {}): Promise<Sink> {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(location)?.[0].toLowerCase();
  const sink = scheme === undefined ? undefined : sinks.find((candidate) => candidate.schemes.includes(scheme));
  if (!sink) {
    throw new SinkConfigError(
      `LOG_SINK: unknown sink "${scheme ?? redactUserInfo(location)}"; use one of ${sinkSchemes.join(', ')} (e.g. sqlite:.local/logs.db or https://collector.example/logs)`,
    );
  }
  return (await sink.load()).sinkFactory(location, options);
}
