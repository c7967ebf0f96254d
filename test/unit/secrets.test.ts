import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../forwarder/src/config.js';
import { SinkSecretError } from '../../forwarder/src/errors.js';
import { credentialsFromSecret, secretLocation, sinkCredentials } from '../../forwarder/src/secrets.js';

describe('secretLocation', () => {
  it('reads an SSM SecureString name and a Secrets Manager secret name', () => {
    expect(secretLocation('ssm:/log-forwarder/prod/sink')).toEqual({ store: 'ssm', name: '/log-forwarder/prod/sink' });
    expect(secretLocation('secretsmanager:log-forwarder/prod')).toEqual({ store: 'secretsmanager', id: 'log-forwarder/prod' });
  });

  it.each(['log-forwarder/prod', 'ssm:relative/name', 'ssm:', 'secretsmanager:', 'secretsmanager:arn:aws:secretsmanager:eu-west-1:1:secret:x', 'arn:aws:ssm:eu-west-1:1:parameter/x'])(
    'refuses %s, which the IAM policy could not be scoped to',
    (secretId) => {
      expect(() => secretLocation(secretId)).toThrow(/^LOG_SINK_SECRET_ID: must be ssm:\/<parameter name> or secretsmanager:<secret name>/);
    },
  );
});

describe('credentialsFromSecret', () => {
  it('takes plain text as the token', () => {
    expect(credentialsFromSecret('  abc123\n', 'secret s')).toEqual({ token: 'abc123' });
  });

  it('takes token, apiKey, username and password from a JSON object', () => {
    expect(credentialsFromSecret('{"apiKey":"k","username":"u","password":"p","other":1}', 'secret s')).toEqual({ token: 'k', username: 'u', password: 'p' });
  });

  it('refuses an empty secret, broken JSON and JSON without any credential, without echoing the text', () => {
    expect(() => credentialsFromSecret(' ', 'secret s')).toThrow(new SinkSecretError('LOG_SINK_SECRET_ID: secret s is empty'));
    expect(() => credentialsFromSecret('{"token": hunter2', 'secret s')).toThrow(/secret s starts with "\{" but is not valid JSON$/);
    expect(() => credentialsFromSecret('{"user":"hunter2"}', 'secret s')).toThrow(/holds none of token, apiKey, username, password$/);
  });
});

describe('sinkCredentials', () => {
  it('uses LOG_SINK_TOKEN as it is and reads nothing when no secret is named', async () => {
    expect(await sinkCredentials({ sinkToken: 't' })).toEqual({ token: 't' });
    expect(await sinkCredentials({})).toEqual({});
  });

  it('fails the cold start on a LOG_SINK_SECRET_ID it cannot scope', () => {
    expect(() => loadConfig({ LOG_SINK: 'sqlite:x.db', LOG_SINK_SECRET_ID: 'just-a-name' })).toThrow(/^LOG_SINK_SECRET_ID: must be/);
  });

  it('refuses LOG_SINK_TOKEN and LOG_SINK_SECRET_ID together', () => {
    expect(() => loadConfig({ LOG_SINK: 'sqlite:x.db', LOG_SINK_TOKEN: 't', LOG_SINK_SECRET_ID: 's' })).toThrow(/^LOG_SINK_TOKEN: set either/);
  });
});
