// The OpenSearch/Elasticsearch sink: `create` actions through the _bulk API, idempotent by event id.
import { failAll, type PreparedRecord, type SendOutcome, type Sink, type SinkFactory } from '../types.js';
import { createSearchClient, type SearchClient } from './client.js';
import { searchSinkConfig, type SearchSinkConfig } from './config.js';
import { encodeBulk } from './encode.js';
import { bulkOutcome, classifyClientError } from './retry.js';
import { sendBulk } from './send.js';

/** `opensearch+https://…`, `opensearch+http://…`, `elasticsearch+https://…`, `elasticsearch+http://…` */
export const sinkFactory: SinkFactory = async (location, options) => {
  const config = searchSinkConfig(location, options);
  return createSearchSink(config, await createSearchClient(config));
};

export function createSearchSink(config: SearchSinkConfig, client: SearchClient): Sink {
  return {
    name: config.flavor,
    limits: config.limits,
    async send(batch: readonly PreparedRecord[], signal: AbortSignal): Promise<SendOutcome> {
      try {
        return bulkOutcome(await sendBulk(client, encodeBulk(batch, config.index), signal), batch.length);
      } catch (error) {
        const fault = classifyClientError(error, signal);
        return { failures: failAll(batch, fault.retryable, fault.reason), answer: fault.reason };
      }
    },
    async close() {
      await client.close();
    },
  };
}
