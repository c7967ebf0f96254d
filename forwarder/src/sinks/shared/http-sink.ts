// The skeleton of every HTTP sink: encode a batch, POST it, classify the answer per record.
import type { PreparedRecord } from '../../record.js';
import type { Body } from './body.js';
import type { Sink, SinkFactory, SinkLimits, SinkOptions } from '../types.js';
import { classifyNetworkError, headerValue } from './classify.js';
import { sendHttp } from './http-client.js';
import { failEvery, unanswered, type SendOutcome } from './outcome.js';
import { parseSinkUrl } from './url.js';

/** A store's answer to one request, as classifiers read it. */
export interface StoreAnswer {
  status: number;
  /** The start of the body (`maxAnswerBytes`), for reasons and per-entry errors. */
  body: string;
  /** Response headers by lower-case name, first value only. */
  headers: Readonly<Record<string, string | undefined>>;
}

/** One batch encoded for a store: the body, headers of its own, and what the classifier needs to map the answer back to records. */
export interface EncodedBatch<Sent> {
  body: Body;
  headers?: Record<string, string>;
  sent?: Sent;
}

/** Where and how an HTTP sink sends, as its config parser reads it from LOG_SINK and the credentials. */
export interface HttpSinkSettings {
  /** The endpoint, without user info. */
  url: URL;
  headers: Readonly<Record<string, string>>;
  gzip: boolean;
  limits: SinkLimits;
}

/**
 * A store reached over HTTP: where and how to send, a pure encoder and a pure classifier.
 * A new HTTP sink is this, a config parser and nothing else.
 */
export interface HttpSinkSpec<Sent> extends HttpSinkSettings {
  name: string;
  /** The body's media type. */
  contentType: string;
  /** How much of an answer's body to keep; 1 KiB unless the store's answers list per-entry errors. */
  maxAnswerBytes?: number;
  encode(batch: readonly PreparedRecord[]): EncodedBatch<Sent>;
  classify(answer: StoreAnswer, count: number, sent: Sent | undefined): SendOutcome;
  /**
   * For stores that accept before they make durable (Splunk HEC with indexer acknowledgment):
   * given an answer classified as delivered, asks the store until it confirms, and says what it
   * confirmed. Runs within the same request signal.
   */
  confirm?(answer: StoreAnswer, count: number, signal: AbortSignal): Promise<SendOutcome>;
}

/** An HTTP sink as its folder declares it: the config parser, and the encoder and classifier given that config. */
export interface HttpSinkDefinition<Config extends HttpSinkSettings, Sent> extends Pick<HttpSinkSpec<Sent>, 'name' | 'contentType' | 'maxAnswerBytes' | 'classify'> {
  configure(sink: URL, options: SinkOptions): Config;
  encode(batch: readonly PreparedRecord[], config: Config): EncodedBatch<Sent>;
  /** A `confirm` step for this configuration, when it has one. */
  confirmer?(config: Config): HttpSinkSpec<Sent>['confirm'];
}

/** The SinkFactory of an HTTP sink: parse LOG_SINK, configure, and build the skeleton around the encoder and classifier. */
export function httpSinkFactory<Config extends HttpSinkSettings, Sent>({ configure, encode, confirmer, ...definition }: HttpSinkDefinition<Config, Sent>): SinkFactory {
  return (location, options) => {
    const config = configure(parseSinkUrl(location), options);
    const confirm = confirmer?.(config);
    return createHttpSink({ ...config, ...definition, encode: (batch) => encode(batch, config), ...(confirm ? { confirm } : {}) });
  };
}

/** A Sink that POSTs each batch once and reports the store's verdict per record; never throws. */
export function createHttpSink<Sent>(spec: HttpSinkSpec<Sent>): Sink {
  return {
    name: spec.name,
    limits: spec.limits,
    async send(batch, signal) {
      let encoded: EncodedBatch<Sent>;
      try {
        encoded = spec.encode(batch);
      } catch (error) {
        // A record the store's encoding cannot hold (nesting deeper than the stack, say) is one
        // record's fault, and sending it again would meet it again: halves isolate it, the
        // others are delivered, and it is parked with the reason.
        const reason = `the ${spec.name} encoding failed: ${(error as Error).message}`;
        return { failures: failEvery(batch.length, false, reason), isolate: true, answer: reason };
      }
      const headers = { ...spec.headers, 'content-type': spec.contentType, ...encoded.headers };
      try {
        const answer = await sendHttp(
          {
            url: spec.url,
            headers,
            body: encoded.body,
            gzip: spec.gzip,
            ...(spec.maxAnswerBytes !== undefined ? { maxBodyBytes: spec.maxAnswerBytes } : {}),
          },
          signal,
        );
        const answered: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(answer.headers)) answered[name] = headerValue(value);
        const storeAnswer = { status: answer.status, body: answer.body, headers: answered };
        const outcome = spec.classify(storeAnswer, batch.length, encoded.sent);
        return spec.confirm && outcome.failures.length === 0 ? await spec.confirm(storeAnswer, batch.length, signal) : outcome;
      } catch (error) {
        return unanswered(batch.length, classifyNetworkError(error));
      }
    },
    async close() {},
  };
}

/** `HTTP 400: <first 200 bytes of the body>`, or the status alone: how reasons quote a store. */
export function answerText(answer: Pick<StoreAnswer, 'status' | 'body'>): string {
  const body = answer.body.slice(0, 200);
  return body ? `HTTP ${answer.status}: ${body}` : `HTTP ${answer.status}`;
}
