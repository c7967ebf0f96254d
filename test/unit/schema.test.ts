import { CloudWatchLogsDecodeSchema } from '@aws-lambda-powertools/parser/schemas/cloudwatch';
import { describe, expect, it } from 'vitest';
import { payloadIssue } from '../../forwarder/src/decode.js';
import { subscriptionPayloadSchema } from '../../forwarder/src/subscription-schema.js';
import { logsFixture } from '../helpers/fixtures.js';

const good = logsFixture('node-text');
const { logEvents: _events, ...withoutEvents } = good;
const variants: Array<[string, unknown]> = [
  ['a real payload', good],
  ['a control message', logsFixture('control-message')],
  ['no logEvents', withoutEvents],
  ['empty logEvents', { ...good, logEvents: [] }],
  ['a timestamp as text', { ...good, logEvents: [{ id: '1', timestamp: '1', message: 'x' }] }],
  ['a numeric id', { ...good, logEvents: [{ id: 1, timestamp: 1, message: 'x' }] }],
  ['an infinite timestamp (1e999 in the JSON)', { ...good, logEvents: [{ id: '1', timestamp: Infinity, message: 'x' }] }],
  ['no owner', { ...good, owner: undefined }],
  ['subscriptionFilters not a list', { ...good, subscriptionFilters: 'f' }],
  ['a filter that is not text', { ...good, subscriptionFilters: ['f', 1] }],
  ['a null event', { ...good, logEvents: [null] }],
  ['an event without a message', { ...good, logEvents: [{ id: '1', timestamp: 1 }] }],
  ['a message that is not text', { ...good, logEvents: [{ id: '1', timestamp: 1, message: { a: 1 } }] }],
  ['an extra field', { ...good, extra: true, logEvents: [{ id: '1', timestamp: 1, message: 'x', extractedFields: {} }] }],
  ['null', null],
  ['an array', [good]],
];

describe('subscriptionPayloadSchema', () => {
  it.each(variants)('gives the same verdict as Powertools CloudWatchLogsDecodeSchema for %s', (_name, value) => {
    const ours = subscriptionPayloadSchema.safeParse(value);
    const theirs = CloudWatchLogsDecodeSchema.safeParse(value);

    expect(ours.success).toBe(theirs.success);
    if (ours.success && theirs.success) expect(ours.data).toEqual(theirs.data);
  });
});

describe('payloadIssue, as a verdict', () => {
  it.each(variants)('gives the same verdict as the schema for %s', (_name, value) => {
    expect(payloadIssue(value) === undefined).toBe(subscriptionPayloadSchema.safeParse(value).success);
  });
});

describe('payloadIssue', () => {
  it.each(variants)('names the first path the schema refuses for %s', (_name, value) => {
    const parsed = subscriptionPayloadSchema.safeParse(value);
    const issue = payloadIssue(value);

    if (parsed.success) expect(issue).toBeUndefined();
    else expect(issue?.split(':')[0]).toBe(parsed.error.issues[0]!.path.join('.') || 'payload');
  });
});
