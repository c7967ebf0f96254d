// The sink a forwarder configuration names, ready to send: the handler ships to it, `npm run sink:check` tests it.
import type { ForwarderConfig } from '../config.js';
import { sinkCredentials } from '../secrets.js';
import { createSink } from './index.js';
import type { Sink } from './types.js';

/**
 * The sink the configuration names, with its credentials, batch limits and compression: what the
 * handler ships to and what `npm run sink:check` tests.
 */
export async function configuredSink(config: ForwarderConfig): Promise<Sink> {
  const credentials = await sinkCredentials(config);
  return createSink(config.sink, { ...credentials, gzip: config.sinkGzip, limits: config.limits, region: config.region });
}
