// Reads the sink's credentials from Secrets Manager or an SSM SecureString, once per cold start.
import { ConfigError } from '../../shared/errors.js';
import { SinkSecretError } from './errors.js';
import type { SinkCredentials } from './sinks/types.js';

/** Where LOG_SINK_SECRET_ID points. */
export type SecretLocation =
  | { store: 'secretsmanager'; id: string }
  | { store: 'ssm'; name: string };

/**
 * Reads LOG_SINK_SECRET_ID: `ssm:<parameter name>` for an SSM SecureString or
 * `secretsmanager:<secret name>` for a Secrets Manager secret, in the function's account and
 * region. Only these two forms: the forwarder's IAM policy (resources/forwarder-sink-secret.yml)
 * is built from the same text and grants read access to exactly that one.
 */
export function secretLocation(secretId: string): SecretLocation {
  const [store, ...rest] = secretId.split(':');
  const name = rest.join(':');
  if (store === 'ssm' && name.startsWith('/') && name.length > 1) return { store: 'ssm', name };
  if (store === 'secretsmanager' && name !== '' && !name.startsWith('arn:')) return { store: 'secretsmanager', id: name };
  throw new ConfigError('LOG_SINK_SECRET_ID', `must be ssm:/<parameter name> or secretsmanager:<secret name>, got "${secretId}"`);
}

/**
 * A secret's text as credentials: a JSON object with any of `token` (or `apiKey`), `username`,
 * `password`; any other text is the token itself.
 */
export function credentialsFromSecret(text: string, source: string): SinkCredentials {
  const trimmed = text.trim();
  if (trimmed === '') throw new SinkSecretError(`LOG_SINK_SECRET_ID: ${source} is empty`);
  if (!trimmed.startsWith('{')) return { token: trimmed };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (cause) {
    // Never echo the text: it is a secret.
    throw new SinkSecretError(`LOG_SINK_SECRET_ID: ${source} starts with "{" but is not valid JSON`, { cause });
  }
  const fields = json as Record<string, unknown>;
  const credentials: SinkCredentials = {};
  const token = fields.token ?? fields.apiKey;
  if (typeof token === 'string' && token !== '') credentials.token = token;
  if (typeof fields.username === 'string' && fields.username !== '') credentials.username = fields.username;
  if (typeof fields.password === 'string' && fields.password !== '') credentials.password = fields.password;
  if (Object.keys(credentials).length === 0) {
    throw new SinkSecretError(`LOG_SINK_SECRET_ID: ${source} holds none of token, apiKey, username, password`);
  }
  return credentials;
}

export interface SecretClientOptions {
  region?: string;
  /** A local endpoint (tests); otherwise the SDK's own resolution, incl. AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint?: string;
}

/**
 * Fetches the secret and turns it into credentials. The SDK client is imported only here, so a
 * forwarder without a secret never loads it.
 */
export async function readSinkCredentials(secretId: string, options: SecretClientOptions = {}): Promise<SinkCredentials> {
  const location = secretLocation(secretId);
  const config = { ...(options.region ? { region: options.region } : {}), ...(options.endpoint ? { endpoint: options.endpoint } : {}) };
  try {
    if (location.store === 'ssm') {
      const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const client = new SSMClient(config);
      try {
        const answer = await client.send(new GetParameterCommand({ Name: location.name, WithDecryption: true }));
        return credentialsFromSecret(answer.Parameter?.Value ?? '', `SSM parameter ${location.name}`);
      } finally {
        client.destroy();
      }
    }
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const client = new SecretsManagerClient(config);
    try {
      const answer = await client.send(new GetSecretValueCommand({ SecretId: location.id }));
      const text = answer.SecretString ?? (answer.SecretBinary ? Buffer.from(answer.SecretBinary).toString('utf8') : '');
      return credentialsFromSecret(text, `secret ${location.id}`);
    } finally {
      client.destroy();
    }
  } catch (error) {
    if (error instanceof SinkSecretError) throw error;
    const where = location.store === 'ssm' ? `SSM parameter ${location.name}` : `secret ${location.id}`;
    throw new SinkSecretError(`LOG_SINK_SECRET_ID: cannot read ${where}: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
}

/** The sink's credentials: LOG_SINK_TOKEN as it is, the secret when one is named, else none. */
export async function sinkCredentials(config: { sinkToken?: string; sinkSecretId?: string; region?: string }): Promise<SinkCredentials> {
  if (config.sinkToken) return { token: config.sinkToken };
  if (config.sinkSecretId) return readSinkCredentials(config.sinkSecretId, { region: config.region });
  return {};
}
