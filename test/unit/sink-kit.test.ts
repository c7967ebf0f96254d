// What every sink shares, tested once for all of them: how a status reads, how a token store's
// URL is checked, and which LOG_SINK schemes pick which sink. Pure: no store is involved.
import { describe, expect, it } from 'vitest';
import { SinkConfigError } from '../../forwarder/src/errors.js';
import { classifyDatadogAnswer } from '../../forwarder/src/sinks/datadog/classify.js';
import { datadogSinkConfig } from '../../forwarder/src/sinks/datadog/config.js';
import { classifyHttpAnswer } from '../../forwarder/src/sinks/http/classify.js';
import { createSink, sinkSchemes } from '../../forwarder/src/sinks/index.js';
import { classifyLokiAnswer } from '../../forwarder/src/sinks/loki/classify.js';
import { lokiStreams } from '../../forwarder/src/sinks/loki/encode.js';
import { classifyBulkItem } from '../../forwarder/src/sinks/opensearch/classify.js';
import { classifyStatus } from '../../forwarder/src/sinks/shared/classify.js';
import type { SendOutcome } from '../../forwarder/src/sinks/shared/outcome.js';
import { classifyHecAnswer } from '../../forwarder/src/sinks/splunk/classify.js';
import { splunkSinkConfig } from '../../forwarder/src/sinks/splunk/config.js';
import type { SinkOptions } from '../../forwarder/src/sinks/types.js';
import { preparedRecord, storeAnswer } from '../helpers/records.js';

/** What a status means to every store, when its body says nothing more. */
const statuses: Array<[status: number, verdict: Verdict]> = [
  [200, 'stored'],
  [201, 'stored'],
  [202, 'stored'],
  [204, 'stored'],
  [408, 'retry'],
  [429, 'retry'],
  [500, 'retry'],
  [502, 'retry'],
  [503, 'retry'],
  [504, 'retry'],
  [400, 'refused'],
  [401, 'refused'],
  [403, 'refused'],
  [404, 'refused'],
];

const streams = lokiStreams([preparedRecord('a'), preparedRecord('b')]);

type Verdict = 'stored' | 'retry' | 'refused';

/** A sink's outcome for a batch of two as one verdict; both records must share it. */
function verdictOf({ failures }: SendOutcome): Verdict {
  if (failures.length === 0) return 'stored';
  expect(failures).toHaveLength(2);
  return failures.every((failure) => failure.retryable) ? 'retry' : 'refused';
}

const byFlags = ({ ok, retryable }: { ok: boolean; retryable: boolean }): Verdict => (ok ? 'stored' : retryable ? 'retry' : 'refused');

/** Each classifier, reduced to its verdict for one status with an empty body. */
const classifiers: Array<[name: string, verdict: (status: number) => Verdict]> = [
  ['the kit (classifyStatus)', (status) => byFlags(classifyStatus(status))],
  ['http', (status) => verdictOf(classifyHttpAnswer(storeAnswer(status), 2))],
  ['datadog', (status) => verdictOf(classifyDatadogAnswer(storeAnswer(status), 2))],
  ['splunk', (status) => verdictOf(classifyHecAnswer(storeAnswer(status), 2))],
  ['loki', (status) => verdictOf(classifyLokiAnswer(storeAnswer(status), 2, streams))],
  ['opensearch (per bulk item)', (status) => byFlags(classifyBulkItem(status))],
];

describe.each(classifiers)('%s reads a status as every store does', (_name, verdict) => {
  it.each(statuses)('HTTP %i: %s', (status, expected) => {
    expect(verdict(status)).toBe(expected);
  });
});

/** The stores that take a token of their own and nothing in the URL. */
const tokenStores: Array<{ name: string; credential: string; host: string; configure: (sink: URL, options: SinkOptions) => unknown }> = [
  { name: 'datadog', credential: 'Datadog API key', host: 'http-intake.logs.datadoghq.com', configure: datadogSinkConfig },
  { name: 'splunk', credential: 'Splunk HEC token', host: 'splunk.example.com:8088', configure: splunkSinkConfig },
];

describe.each(tokenStores)('the $name sink’s URL', ({ name, credential, host, configure }) => {
  const config = (location: string, options: SinkOptions = { token: 't0ken' }) => () => configure(new URL(location), options);

  it('needs the token from the secret or LOG_SINK_TOKEN, and says where to set it', () => {
    expect(config(`${name}+https://${host}`, {})).toThrow(new RegExp(`LOG_SINK: the ${name} sink needs an? ${credential.split(' ').slice(1).join(' ')}: set LOG_SINK_SECRET_ID \\(deployed\\) or LOG_SINK_TOKEN \\(local\\)`));
  });

  it('refuses a token in the URL without showing it', () => {
    const inUrl = config(`${name}+https://k:s3cret-in-url@${host}`);

    expect(inUrl).toThrow(`LOG_SINK: put the ${credential} in the secret (LOG_SINK_SECRET_ID) or LOG_SINK_TOKEN, not in the URL`);
    expect(inUrl).not.toThrow(/s3cret-in-url/);
  });

  it('refuses another scheme, a missing host, and an unknown or empty parameter, naming LOG_SINK', () => {
    expect(config(`${name}+ftp://${host}`)).toThrow(new RegExp(`LOG_SINK: the ${name} sink needs a ${name}\\+https: or ${name}\\+http: URL, got ${name}\\+ftp:`));
    expect(config(`${name}+https://`)).toThrow(new RegExp(`LOG_SINK: the ${name} sink needs a host, e.g. ${name}\\+https://`));
    expect(config(`${name}+https://${host}?nope=1`)).toThrow(new RegExp(`LOG_SINK: unknown ${name} parameter "nope"; use `));
    expect(config(`${name}+https://${host}?source=%20`)).toThrow(`LOG_SINK: the ${name} source parameter is empty`);
    expect(config(`${name}+ftp://${host}`)).toThrow(SinkConfigError);
  });
});

describe('LOG_SINK schemes', () => {
  it.each([
    ['sqlite::memory:', 'sqlite'],
    ['https://collector.example/logs', 'http'],
    ['http://127.0.0.1:9/ingest', 'http'],
    ['loki+https://logs.example.com?tenant=a', 'loki'],
    ['loki+http://127.0.0.1:3100', 'loki'],
    ['splunk+https://splunk.example.com:8088', 'splunk'],
    ['splunk+http://127.0.0.1:8088', 'splunk'],
    ['datadog+https://http-intake.logs.datadoghq.com', 'datadog'],
    ['datadog+http://127.0.0.1:1', 'datadog'],
    ['opensearch+https://search.example.com', 'opensearch'],
    ['elasticsearch+http://127.0.0.1:9200', 'elasticsearch'],
  ])('%s picks the %s sink', async (location, name) => {
    const sink = await createSink(location, { token: 't0ken' });

    expect(sink.name).toBe(name);
    await sink.close();
  });

  it('refuses an unknown scheme or a URL it cannot read with the schemes it knows, never showing a password', async () => {
    await expect(createSink('kafka://broker:9092')).rejects.toThrow(`LOG_SINK: unknown sink "kafka:"; use one of ${sinkSchemes.join(', ')}`);
    await expect(createSink('loki+http://a b')).rejects.toThrow(/LOG_SINK: .* is not a valid URL/);
    await expect(createSink('loki+http://u:hunter2@a b')).rejects.not.toThrow(/hunter2/);
  });
});

describe('a whole-request refusal that may be one record’s fault asks to isolate it', () => {
  it.each([
    ['http 400', classifyHttpAnswer(storeAnswer(400, 'bad record'), 2), true],
    ['http 422', classifyHttpAnswer(storeAnswer(422), 2), true],
    ['http 401', classifyHttpAnswer(storeAnswer(401), 2), false],
    ['http 503', classifyHttpAnswer(storeAnswer(503), 2), false],
    ['datadog 400', classifyDatadogAnswer(storeAnswer(400, '{"errors":["Bad Request"]}'), 2), true],
    ['datadog 403', classifyDatadogAnswer(storeAnswer(403), 2), false],
    ['splunk 400, code 6 without an event number', classifyHecAnswer(storeAnswer(400, '{"text":"Invalid data format","code":6}'), 2), true],
    ['splunk 400, code 7 (incorrect index: every half would meet it)', classifyHecAnswer(storeAnswer(400, '{"text":"Incorrect index","code":7}'), 2), false],
    ['splunk 400, code 5 (no data)', classifyHecAnswer(storeAnswer(400, '{"text":"No data","code":5}'), 2), false],
    ['loki 400 naming no entry', classifyLokiAnswer(storeAnswer(400, 'error at least one label pair is required per stream'), 2, streams), true],
    ['loki 401', classifyLokiAnswer(storeAnswer(401), 2, streams), false],
  ])('%s: isolate=%s', (_name, outcome, isolate) => {
    expect(outcome.isolate ?? false).toBe(isolate);
  });
});

describe('the record limit in the sink URL', () => {
  it.each([
    ['loki+https://logs.example.com?max_record_bytes=100000', {}],
    ['splunk+https://splunk.example.com?max_record_bytes=100000&index=main', { token: 't' }],
    ['datadog+https://http-intake.logs.datadoghq.com?max_record_bytes=100000', { token: 't' }],
    ['opensearch+https://search.example.com?index=logs&max_record_bytes=100000', {}],
  ])('%s sets maxRecordBytes', async (location, options) => {
    const sink = await createSink(location, options);

    expect(sink.limits.maxRecordBytes).toBe(100_000);
    await sink.close();
  });

  it('refuses a limit that is not a number of bytes from 4 KiB to 16 MiB', async () => {
    await expect(createSink('loki+https://logs.example.com?max_record_bytes=12kb')).rejects.toThrow('LOG_SINK: the loki max_record_bytes parameter must be a whole number of bytes from 4096 to 16777216, got "12kb"');
    await expect(createSink('splunk+https://s.example.com?max_record_bytes=100', { token: 't' })).rejects.toThrow(/splunk max_record_bytes/);
  });
});
