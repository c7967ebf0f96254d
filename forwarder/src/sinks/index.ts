import { SinkConfigError } from '../errors.js';
import type { Sink, SinkFactory, SinkOptions } from './types.js';
import { redactUserInfo } from './shared/url.js';


/**
 * The sinks by LOG_SINK scheme. Each is imported on demand, so a deployed bundle loads only the
 * sink it uses (and never the native SQLite module).
 */
const factories: Record<string, () => Promise<SinkFactory>> = {
  'sqlite:': async () => (await import('./sqlite/index.js')).sinkFactory,
  'http:': async () => (await import('./http/index.js')).sinkFactory,
  'https:': async () => (await import('./http/index.js')).sinkFactory,
  'loki+http:': async () => (await import('./loki/index.js')).sinkFactory,
  'loki+https:': async () => (await import('./loki/index.js')).sinkFactory,
  'splunk+http:': async () => (await import('./splunk/index.js')).sinkFactory,
  'splunk+https:': async () => (await import('./splunk/index.js')).sinkFactory,
  'datadog+http:': async () => (await import('./datadog/index.js')).sinkFactory,
  'datadog+https:': async () => (await import('./datadog/index.js')).sinkFactory,
  'opensearch+https:': async () => (await import('./opensearch/index.js')).sinkFactory,
  'opensearch+http:': async () => (await import('./opensearch/index.js')).sinkFactory,
  'elasticsearch+https:': async () => (await import('./opensearch/index.js')).sinkFactory,
  'elasticsearch+http:': async () => (await import('./opensearch/index.js')).sinkFactory,
};

/** The sink schemes LOG_SINK accepts. */
export const sinkSchemes: readonly string[] = Object.keys(factories);

/** Creates the sink named by LOG_SINK's scheme. */
export async function createSink(location: string, options: SinkOptions = {}): Promise<Sink> {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(location)?.[0].toLowerCase();
  const load = scheme === undefined ? undefined : factories[scheme];
  if (!load) {
    throw new SinkConfigError(
      `LOG_SINK: unknown sink "${scheme ?? redactUserInfo(location)}"; use one of ${sinkSchemes.join(', ')} (e.g. sqlite:.local/logs.db or https://collector.example/logs)`,
    );
  }
  return (await load())(location, options);
}
