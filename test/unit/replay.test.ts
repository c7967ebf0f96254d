import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertAwsCredentials } from '../../scripts/aws-credentials.js';
import { InvalidRecordError, NoAwsCredentialsError, UsageError } from '../../tools/errors.js';
import {
  describeFailure,
  failureQueueName,
  forwarderFunctionName,
  functionNameFromArn,
  judgeInvocation,
  parseDestinationRecord,
  parseReplayArgs,
} from '../../scripts/replay-parse.js';

const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:log-forwarder-dev-forwarder:$LATEST';

/** A subscription event as CloudWatch Logs sends it: base64 of gzipped JSON. */
function subscriptionEvent(): { awslogs: { data: string } } {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/auth-service-dev-sign-in',
    logStream: '2026/11/23/[$LATEST]0123456789abcdef0123456789abcdef',
    subscriptionFilters: ['log-forwarder'],
    logEvents: [{ id: '1', timestamp: 1_795_427_669_987, message: '{"level":30,"msg":"signed in"}\n' }],
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}

/** The on-failure record Lambda writes after the last async attempt failed (a factory per variant). */
function destinationRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: '2026-11-23T09:54:29.987Z',
    requestContext: {
      requestId: 'e4b46cbf-b738-4a1d-8880-a18cdf61200e',
      functionArn,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: subscriptionEvent(),
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'DeliveryError', errorMessage: '12 records undelivered: sink answered 503' },
    ...overrides,
  };
}

describe('parseDestinationRecord', () => {
  it('reads the request payload of a RetriesExhausted record', () => {
    // Prepare
    const record = destinationRecord();

    // Act
    const parsed = parseDestinationRecord(JSON.stringify(record));

    // Assess
    expect(parsed.requestPayload).toEqual(record.requestPayload);
    expect(parsed.requestContext.condition).toBe('RetriesExhausted');
    expect(parsed.requestContext.approximateInvokeCount).toBe(3);
  });

  it('keeps unknown keys of the request payload so the replay resends it unchanged', () => {
    // Prepare
    const requestPayload = { awslogs: { data: subscriptionEvent().awslogs.data, extra: 1 }, other: 'kept' };

    // Act
    const parsed = parseDestinationRecord(JSON.stringify(destinationRecord({ requestPayload })));

    // Assess
    expect(parsed.requestPayload).toEqual(requestPayload);
  });

  it('accepts an EventAgeExceeded record without a response', () => {
    // Prepare
    const record = destinationRecord({
      requestContext: { requestId: 'r-1', functionArn, condition: 'EventAgeExceeded', approximateInvokeCount: 0 },
    });
    delete record.responseContext;
    delete record.responsePayload;

    // Act
    const parsed = parseDestinationRecord(JSON.stringify(record));

    // Assess
    expect(parsed.requestContext.condition).toBe('EventAgeExceeded');
    expect(parsed.responseContext).toBeUndefined();
  });

  it('refuses a record without requestPayload', () => {
    // Prepare
    const record = destinationRecord();
    delete record.requestPayload;

    // Act
    const parse = () => parseDestinationRecord(JSON.stringify(record));

    // Assess
    expect(parse).toThrow(InvalidRecordError);
    expect(parse).toThrow(/requestPayload/);
  });

  it('refuses a request payload that is not a subscription event', () => {
    // Prepare
    const body = JSON.stringify(destinationRecord({ requestPayload: { Records: [] } }));

    // Act
    const parse = () => parseDestinationRecord(body);

    // Assess
    expect(parse).toThrow(/requestPayload\.awslogs/);
  });

  it('refuses awslogs.data that is not base64 without echoing it', () => {
    // Prepare
    const body = JSON.stringify(destinationRecord({ requestPayload: { awslogs: { data: 'secret log line!' } } }));

    // Act
    const parse = () => parseDestinationRecord(body);

    // Assess
    expect(parse).toThrow(/requestPayload\.awslogs\.data/);
    expect(parse).not.toThrow(/secret log line/);
  });

  it('refuses a body that is not JSON', () => {
    // Prepare
    const body = 'not json';

    // Act
    const parse = () => parseDestinationRecord(body);

    // Assess
    expect(parse).toThrow(new InvalidRecordError('the message body is not JSON'));
  });

  it('refuses a message without a body', () => {
    // Prepare
    const body = undefined;

    // Act
    const parse = () => parseDestinationRecord(body);

    // Assess
    expect(parse).toThrow(new InvalidRecordError('the message has no body'));
  });
});

describe('describeFailure', () => {
  it('describes the original failure without the payload', () => {
    // Prepare
    const record = parseDestinationRecord(JSON.stringify(destinationRecord()));

    // Act
    const description = describeFailure(record);

    // Assess
    expect(description).toBe(
      'e4b46cbf-b738-4a1d-8880-a18cdf61200e RetriesExhausted after 3 attempt(s) — DeliveryError: 12 records undelivered: sink answered 503',
    );
    expect(description).not.toContain(record.requestPayload.awslogs.data);
  });
});

describe('judgeInvocation', () => {
  it('counts a clean 200 as delivered', () => {
    // Prepare
    const response = { StatusCode: 200 };

    // Act
    const outcome = judgeInvocation(response);

    // Assess
    expect(outcome).toBe('delivered');
  });

  it('counts a 200 with a FunctionError as failed, so the message is kept', () => {
    // Prepare
    const response = { StatusCode: 200, FunctionError: 'Unhandled' };

    // Act
    const outcome = judgeInvocation(response);

    // Assess
    expect(outcome).toBe('failed');
  });
});

describe('names', () => {
  it('derives the failure queue and the function from the stage', () => {
    // Prepare
    const stage = 'prod';

    // Act
    const names = [failureQueueName(stage), forwarderFunctionName(stage)];

    // Assess
    expect(names).toEqual(['log-forwarder-prod-failed', 'log-forwarder-prod-forwarder']);
  });

  it('takes the function name out of a qualified ARN', () => {
    // Prepare
    const arn = functionArn;

    // Act
    const name = functionNameFromArn(arn);

    // Assess
    expect(name).toBe('log-forwarder-dev-forwarder');
  });
});

describe('parseReplayArgs', () => {
  it('reads stage, region, max and dry-run', () => {
    // Prepare
    const argv = ['--stage', 'prod', '--region', 'eu-west-1', '--max', '25', '--dry-run'];

    // Act
    const options = parseReplayArgs(argv);

    // Assess
    expect(options).toEqual({ stage: 'prod', region: 'eu-west-1', max: 25, dryRun: true });
  });

  it('defaults to us-east-1, 100 messages and a real run', () => {
    // Prepare
    const argv = ['--stage=dev'];

    // Act
    const options = parseReplayArgs(argv);

    // Assess
    expect(options).toEqual({ stage: 'dev', region: 'us-east-1', max: 100, dryRun: false });
  });

  it('refuses to run without --stage', () => {
    // Prepare
    const argv = ['--max', '5'];

    // Act
    const parse = () => parseReplayArgs(argv);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(/--stage is required/);
  });

  it.each([['0'], ['-3'], ['ten'], ['10001']])('refuses --max %s', (max) => {
    // Prepare
    const argv = ['--stage', 'dev', '--max', max];

    // Act
    const parse = () => parseReplayArgs(argv);

    // Assess
    expect(parse).toThrow(/--max/);
  });

  it('refuses unknown options', () => {
    // Prepare
    const argv = ['--stage', 'dev', '--purge'];

    // Act
    const parse = () => parseReplayArgs(argv);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(/--purge/);
  });
});

describe('assertAwsCredentials', () => {
  it('turns a failed credential lookup into NoAwsCredentialsError', async () => {
    // Prepare
    const lookup = () => Promise.reject(new Error('Could not load credentials from any providers'));

    // Act
    const check = assertAwsCredentials(lookup);

    // Assess
    await expect(check).rejects.toThrow(NoAwsCredentialsError);
    await expect(check).rejects.toThrow(/^no AWS credentials found: .*Could not load credentials/);
  });

  it('passes when the chain yields credentials', async () => {
    // Prepare
    const lookup = () => Promise.resolve({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' });

    // Act
    const check = assertAwsCredentials(lookup);

    // Assess
    await expect(check).resolves.toBeUndefined();
  });
});
