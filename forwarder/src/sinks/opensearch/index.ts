// The OpenSearch/Elasticsearch sink: `create` actions through the _bulk API, idempotent by event id.
import type { PreparedRecord } from '../../record.js';
import { unanswered, type SendOutcome } from '../shared/outcome.js';
import type { Sink, SinkFactory } from '../types.js';
import { createSearchClient, type SearchClient } from './client.js';
import { searchSinkConfig, type SearchSinkConfig } from './config.js';
import { encodeBulk } from './encode.js';
import { bulkOutcome, classifyClientError } from './classify.js';
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
        return bulkOutcome(await sendBulk(client, encodeBulk(batch, config.index), signal, config.gzip), batch.length);
      } catch (error) {
        return unanswered(batch.length, classifyClientError(error, signal));
      }
    },
    async close() {
      await client.close();
    },
  };
}
