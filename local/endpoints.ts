// `.local/endpoints.json`: where the running offline stack listens, for a frontend, the demo and
// the tests. Written by `npm start` once everything is up.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface EndpointsFile {
  region: string;
  stage: string;
  userPoolId: string;
  userPoolClientId: string;
  identityPoolId: string;
  endpoints: {
    cognitoIdentityProvider: string;
    cognitoIdentity: string;
    dynamodb: string;
    /** The REST API's base URL, stage included: `http://127.0.0.1:<port>/<stage>`. */
    api: string;
    /** The Lambda Invoke API the triggers and the log pipeline use. */
    lambda: string;
    /** SQS: the forwarder's failure queue (`log-forwarder-<stage>-parked`) and dead-letter queue. */
    sqs?: string;
    /** The web client (local/web.ts): open it in a browser. */
    web?: string;
  };
  /** Where the forwarder ships the logs (`sqlite:<absolute path>` unless LOG_SINK says otherwise). */
  logSink: string;
  /** The confirmation code cognito-local accepts for every sign-up (its CODE variable). */
  confirmationCode: string;
}

export const endpointsFileName = 'endpoints.json';

export function writeEndpoints(stateDir: string, endpoints: EndpointsFile): string {
  const file = path.join(stateDir, endpointsFileName);
  writeFileSync(file, `${JSON.stringify(endpoints, null, 2)}\n`);
  return file;
}

/** Reads the endpoints of a running stack; the error says to start one. */
export function readEndpoints(stateDir: string): EndpointsFile {
  const file = path.join(stateDir, endpointsFileName);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EndpointsFile;
  } catch (cause) {
    throw new Error(`no running offline stack: ${file} is missing or unreadable; start one with npm start`, { cause });
  }
}
