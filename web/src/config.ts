// What the page needs to know about the stack it talks to, from `/config.json`: the offline stack
// serves it from its endpoints (local/web.ts); a deployed stage writes it from its stack outputs
// (docs/web-client.md). Pure: local/web.ts imports the type and Node.js runs this file too.

export interface WebConfig {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  identityPoolId: string;
  endpoints: {
    /** The REST API's base URL, stage included. */
    api: string;
    /** Only where Cognito is not AWS's (the offline stack); the SDK's own endpoint otherwise. */
    cognitoIdentityProvider?: string;
    cognitoIdentity?: string;
  };
  /** The offline stack's fixed confirmation code, shown on the confirmation form; never deployed. */
  localConfirmationCode?: string;
}

const requiredStrings = ['region', 'userPoolId', 'userPoolClientId', 'identityPoolId'] as const;
const optionalEndpoints = ['cognitoIdentityProvider', 'cognitoIdentity'] as const;

/** Checks the shape of a parsed config.json; the error names the first field at fault. */
export function parseConfig(value: unknown): WebConfig {
  if (!isRecord(value)) throw new TypeError('config.json is not a JSON object');
  for (const key of requiredStrings) {
    if (!nonEmptyString(value[key])) throw new TypeError(`config.json: "${key}" must be a non-empty string`);
  }
  const endpoints = value.endpoints;
  if (!isRecord(endpoints) || !isUrl(endpoints.api)) throw new TypeError('config.json: "endpoints.api" must be an http(s) URL');
  for (const key of optionalEndpoints) {
    if (endpoints[key] !== undefined && !isUrl(endpoints[key])) throw new TypeError(`config.json: "endpoints.${key}" must be an http(s) URL`);
  }
  const code = value.localConfirmationCode;
  if (code !== undefined && !nonEmptyString(code)) throw new TypeError('config.json: "localConfirmationCode" must be a non-empty string');
  return {
    region: value.region as string,
    userPoolId: value.userPoolId as string,
    userPoolClientId: value.userPoolClientId as string,
    identityPoolId: value.identityPoolId as string,
    endpoints: {
      api: (endpoints.api as string).replace(/\/+$/, ''),
      ...(endpoints.cognitoIdentityProvider === undefined ? {} : { cognitoIdentityProvider: endpoints.cognitoIdentityProvider as string }),
      ...(endpoints.cognitoIdentity === undefined ? {} : { cognitoIdentity: endpoints.cognitoIdentity as string }),
    },
    ...(code === undefined ? {} : { localConfirmationCode: code as string }),
  };
}

/** The identity pool's `Logins` key for ID tokens of this user pool. */
export function loginProvider(config: Pick<WebConfig, 'region' | 'userPoolId'>): string {
  return `cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isUrl(value: unknown): boolean {
  return typeof value === 'string' && /^https?:\/\/[^\s/]+/.test(value);
}
