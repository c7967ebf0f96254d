import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SinkSecretError } from '../../forwarder/src/errors.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { readSinkCredentials } from '../../forwarder/src/secrets.js';
import { startCollector, type Collector } from '../helpers/collector.js';
import { lambdaContext, logsFixture, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { startLocalSecrets, type LocalSecrets } from '../helpers/local-secrets.js';

// The SDK signs every request; these are what the default chain finds in the environment.
process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCALTEST';
process.env.AWS_SECRET_ACCESS_KEY = 'local-secret-key';
process.env.AWS_REGION = 'us-east-1';

describe('the sink secret (LOG_SINK_SECRET_ID)', () => {
  let secrets: LocalSecrets;
  let collector: Collector;

  beforeAll(async () => {
    secrets = await startLocalSecrets({
      secrets: { 'log-forwarder/prod/sink': '{"username":"shipper","password":"s3cret"}', 'plain-token': 'tok-123' },
      parameters: { '/log-forwarder/prod/token': 'ssm-token-456' },
    });
    collector = await startCollector();
  });
  afterAll(async () => {
    await secrets.close();
    await collector.close();
  });

  it('reads user and password from a JSON secret in Secrets Manager', async () => {
    const credentials = await readSinkCredentials('secretsmanager:log-forwarder/prod/sink', { endpoint: secrets.endpoint });

    expect(credentials).toEqual({ username: 'shipper', password: 's3cret' });
    expect(secrets.operations).toContain('secretsmanager.GetSecretValue');
  });

  it('reads a SecureString from SSM, decrypted, as the token', async () => {
    const credentials = await readSinkCredentials('ssm:/log-forwarder/prod/token', { endpoint: secrets.endpoint });

    expect(credentials).toEqual({ token: 'ssm-token-456' });
    expect(secrets.operations).toContain('AmazonSSM.GetParameter');
  });

  it('fails with an error naming the variable and the secret, not its value, when the secret does not exist', async () => {
    const failure = readSinkCredentials('secretsmanager:missing/secret', { endpoint: secrets.endpoint });

    await expect(failure).rejects.toBeInstanceOf(SinkSecretError);
    await expect(failure).rejects.toThrow(/^LOG_SINK_SECRET_ID: cannot read secret missing\/secret: ResourceNotFoundException/);
  });

  it('sends the token from the secret to the HTTP sink', async () => {
    const credentials = await readSinkCredentials('secretsmanager:plain-token', { endpoint: secrets.endpoint });
    const { deps } = await forwarderDeps(collector.url, credentials);

    await forwardEvent(toSubscriptionEvent(logsFixture('node-text')), deps, lambdaContext().getRemainingTimeInMillis);

    expect(collector.requests.at(-1)?.headers.authorization).toBe('Bearer tok-123');
    expect(collector.stored.size).toBe(logsFixture('node-text').logEvents.length);
  });
});
