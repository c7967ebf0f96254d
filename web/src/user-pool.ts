// The user pool, through the AWS SDK v3 client: sign-up, confirmation, sign-in and refresh. These
// operations are unsigned (the SDK sends them without credentials). USER_PASSWORD_AUTH because
// cognito-local has no SRP; the deployed app client allows both (docs/web-client.md).
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { WebConfig } from './config.js';
import { SessionExpiredError } from './errors.js';

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

export interface SignUpInput {
  email: string;
  name: string;
  password: string;
}

export interface UserPool {
  signUp(input: SignUpInput): Promise<void>;
  confirmSignUp(email: string, code: string): Promise<void>;
  signIn(email: string, password: string): Promise<Tokens>;
  /** New ID and access tokens for a refresh token (REFRESH_TOKEN_AUTH); SessionExpiredError when it no longer works. */
  refresh(refreshToken: string): Promise<Tokens>;
  /** Revokes the refresh token (sign-out); the tokens issued from it stop working at the identity pool. */
  revoke(refreshToken: string): Promise<void>;
}

export function createUserPool(config: WebConfig): UserPool {
  const client = new CognitoIdentityProviderClient({
    region: config.region,
    ...(config.endpoints.cognitoIdentityProvider ? { endpoint: config.endpoints.cognitoIdentityProvider } : {}),
  });
  const ClientId = config.userPoolClientId;

  return {
    async signUp({ email, name, password }) {
      await client.send(
        new SignUpCommand({
          ClientId,
          Username: email,
          Password: password,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'name', Value: name },
          ],
        }),
      );
    },
    async confirmSignUp(email, code) {
      await client.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: code }));
    },
    async signIn(email, password) {
      const answer = await client.send(
        new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }),
      );
      const result = answer.AuthenticationResult;
      if (!result?.IdToken || !result.AccessToken || !result.RefreshToken) {
        // A challenge (new password, MFA): the pool is set up for neither.
        throw new Error(`sign-in needs a step this app does not support (${answer.ChallengeName ?? 'no tokens returned'})`);
      }
      return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken };
    },
    async refresh(refreshToken) {
      try {
        const answer = await client.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }));
        const result = answer.AuthenticationResult;
        if (!result?.IdToken || !result.AccessToken) throw new SessionExpiredError();
        // Cognito keeps the refresh token unless rotation is on, in which case it returns a new one.
        return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken ?? refreshToken };
      } catch (error) {
        if (error instanceof Error && error.name === 'NotAuthorizedException') throw new SessionExpiredError(error);
        throw error;
      }
    },
    async revoke(refreshToken) {
      await client.send(new RevokeTokenCommand({ ClientId, Token: refreshToken }));
    },
  };
}
