import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from '../clients/cognito-identity-provider.js';
import type { ClientOptions } from '../clients/options.js';
import type { UserDirectory, UserRecord } from './user-directory.js';

/** {@link UserDirectory} on a Cognito user pool, with `cognito-idp:AdminGetUser`. */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async findUser(sub: string): Promise<UserRecord | undefined> {
    try {
      // In a pool whose username is the email address, each user's username is their `sub`.
      const user = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: sub }));
      const attributes = new Map((user.UserAttributes ?? []).map(({ Name, Value }) => [Name, Value]));
      // Never hand back someone else's attributes, whatever the lookup matched.
      if (attributes.get('sub') !== sub) return undefined;
      return { sub, email: attributes.get('email'), name: attributes.get('name') };
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'UserNotFoundException') return undefined;
      throw error;
    }
  }
}

/** The directory of `userPoolId` on a client of its own; what runtime.ts imports on first use. */
export function createCognitoUserDirectory(options: ClientOptions, userPoolId: string): CognitoUserDirectory {
  return new CognitoUserDirectory(createCognitoClient(options), userPoolId);
}
