import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { ClientOptions } from './options.js';

/**
 * The one place a user pool API client is made: once per execution environment, on its first
 * create-on-read (runtime.ts imports it then), with the endpoint from config
 * (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, e.g. cognito-local) passed explicitly.
 */
export function createCognitoClient(options: ClientOptions): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts,
    requestHandler: { connectionTimeout: options.connectionTimeoutMs, requestTimeout: options.requestTimeoutMs },
  });
}
