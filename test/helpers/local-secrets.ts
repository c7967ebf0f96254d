import http from 'node:http';
import { serveLoopback } from './loopback-store.js';

export interface LocalSecrets {
  /** The `endpoint` to give SecretsManagerClient and SSMClient. */
  endpoint: string;
  /** The operations received, in order (`secretsmanager.GetSecretValue`, `AmazonSSM.GetParameter`). */
  operations: string[];
  close(): Promise<void>;
}

/**
 * Secrets Manager and SSM Parameter Store on 127.0.0.1, answering the two reads the forwarder
 * makes in the AWS JSON 1.1 protocol the SDK speaks (`X-Amz-Target`), with the error shapes of
 * the real services for a missing name.
 */
export async function startLocalSecrets(store: { secrets?: Record<string, string>; parameters?: Record<string, string> }): Promise<LocalSecrets> {
  const operations: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      operations.push(target);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      };
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        reply(400, { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
        return;
      }
      if (target === 'secretsmanager.GetSecretValue') {
        const id = String(input.SecretId);
        const value = store.secrets?.[id];
        if (value === undefined) {
          reply(400, { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." });
          return;
        }
        reply(200, { ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${id}-AbCdEf`, Name: id, SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'] });
        return;
      }
      if (target === 'AmazonSSM.GetParameter') {
        const name = String(input.Name);
        const value = store.parameters?.[name];
        if (value === undefined || input.WithDecryption !== true) {
          reply(400, { __type: 'ParameterNotFound', message: value === undefined ? 'Parameter not found' : 'WithDecryption must be set for a SecureString' });
          return;
        }
        reply(200, { Parameter: { Name: name, Type: 'SecureString', Value: value, Version: 1 } });
        return;
      }
      reply(400, { __type: 'UnknownOperationException', message: `unknown operation ${target}` });
    });
  });
  const served = await serveLoopback(server);
  return { endpoint: served.origin, operations, close: served.close };
}
