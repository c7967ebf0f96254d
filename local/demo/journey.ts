// The scripted journey `npm start` runs once and `npm run demo` runs against a running stack:
// sign up, confirm, sign in, identity-pool credentials, a signed GET /profile, and that
// request's log lines read back from the log store. Real AWS SDK v3 clients throughout.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import type { LogRow } from '../../tools/logs/format.js';
import { newTraceId } from '../../shared/trace-id.js';
import type { EndpointsFile } from '../endpoints.js';
import { signedFetch, type ApiAnswer } from '../../shared/signed-fetch.js';

export interface JourneyOptions {
  print: (line: string) => void;
  /** Reads the stored log lines of one trace; polled until they appear. */
  readLogs: (traceId: string) => Promise<LogRow[]>;
  /** How long to wait for the log lines to reach the store. */
  logsWaitMs?: number;
}

export interface JourneyResult {
  email: string;
  sub: string;
  identityId: string;
  traceId: string;
  profile: ApiAnswer;
  logs: LogRow[];
}

export async function runJourney(stack: EndpointsFile, options: JourneyOptions): Promise<JourneyResult> {
  const { print } = options;
  const email = `demo-${Date.now()}-${randomBytes(3).toString('hex')}@example.com`;
  const password = `Demo-${randomBytes(6).toString('hex')}-1aA!`;
  const idp = new CognitoIdentityProviderClient({
    region: stack.region,
    endpoint: stack.endpoints.cognitoIdentityProvider,
    // cognito-local ignores signatures, but the SDK signs: any local credentials do.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const signUp = await idp.send(
      new SignUpCommand({
        ClientId: stack.userPoolClientId,
        Username: email,
        Password: password,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'name', Value: 'Demo User' },
        ],
      }),
    );
    print(`signed up ${email}`);
    await idp.send(new ConfirmSignUpCommand({ ClientId: stack.userPoolClientId, Username: email, ConfirmationCode: stack.confirmationCode }));
    print(`confirmed with code ${stack.confirmationCode}: the PostConfirmation trigger wrote the profile`);
    const auth = await idp.send(
      new InitiateAuthCommand({
        ClientId: stack.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const idToken = auth.AuthenticationResult?.IdToken;
    if (!idToken) throw new Error('sign-in returned no ID token');
    print('signed in (USER_PASSWORD_AUTH): ID token received');

    const provider = `cognito-idp.${stack.region}.amazonaws.com/${stack.userPoolId}`;
    const credentials = await fromCognitoIdentityPool({
      identityPoolId: stack.identityPoolId,
      logins: { [provider]: idToken },
      clientConfig: { region: stack.region, endpoint: stack.endpoints.cognitoIdentity },
    })();
    const identityId = (credentials as { identityId?: string }).identityId ?? '';
    print(`identity ${identityId}: temporary credentials ${credentials.accessKeyId}, expiring ${credentials.expiration?.toISOString() ?? 'never'}`);

    const traceId = newTraceId();
    const profile = await signedFetch(
      { method: 'GET', url: `${stack.endpoints.api}/profile`, headers: { 'x-amzn-trace-id': `Root=${traceId}` } },
      credentials,
      stack.region,
    );
    print(`GET /profile, signed with SigV4 → ${profile.status} ${JSON.stringify(profile.body)}`);
    if (profile.status !== 200) throw new Error(`GET /profile answered ${profile.status}`);

    const logs = await waitForLogs(() => options.readLogs(traceId), options.logsWaitMs ?? 10_000);
    print(`the log lines of that request (trace ${traceId}), as stored by the forwarder:`);
    return { email, sub: signUp.UserSub ?? '', identityId, traceId, profile, logs };
  } finally {
    idp.destroy();
  }
}

/** Polls until the request's REPORT line is stored (the last line of an invocation), or gives up. */
async function waitForLogs(read: () => Promise<LogRow[]>, waitMs: number): Promise<LogRow[]> {
  const deadline = Date.now() + waitMs;
  let rows = await read();
  while (!rows.some((row) => row.message.startsWith('REPORT')) && Date.now() < deadline) {
    await delay(200);
    rows = await read();
  }
  if (rows.length === 0) throw new Error(`no log lines of the request reached the store within ${waitMs} ms`);
  return rows;
}
