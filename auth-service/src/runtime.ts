import type { Logger } from '../../shared/logger.js';
import { createDynamoDbClient } from './clients/dynamodb.js';
import { apiClientOptions, triggerClientOptions } from './clients/options.js';
import type { ApiConfig, ProfilesConfig } from './config.js';
import type { ProfileDependencies, ProfileStore } from './domain/profiles.js';
import { DynamoDbProfileRepository } from './repositories/dynamodb-profile-repository.js';
import { lazyUserDirectory } from './repositories/lazy-user-directory.js';

// What each function builds once per cold start from its configuration. Tests build the same
// from their own configuration and a logger that keeps its lines.

/** The PostConfirmation trigger's store, with client timeouts that fit Cognito's 5 s limit. */
export function createTriggerStore(config: ProfilesConfig, logger: Logger): ProfileStore {
  const client = createDynamoDbClient({ region: config.region, endpoint: config.dynamodbEndpoint, ...triggerClientOptions });
  return { profiles: new DynamoDbProfileRepository(client, config.profilesTable), now: () => new Date(), logger };
}

/**
 * The profile routes' dependencies: the profiles table and the user pool. Only create-on-read (a
 * caller without a profile) asks the user pool anything, so its SDK client is imported on that
 * first lookup, not at cold start: the bundle puts it in a chunk of its own that init never loads.
 */
export function createProfileDependencies(config: ApiConfig, logger: Logger): ProfileDependencies & { userPoolId: string } {
  const dynamodb = createDynamoDbClient({ region: config.region, endpoint: config.dynamodbEndpoint, ...apiClientOptions });
  const cognitoOptions = { region: config.region, endpoint: config.cognitoEndpoint, ...apiClientOptions };
  return {
    profiles: new DynamoDbProfileRepository(dynamodb, config.profilesTable),
    users: lazyUserDirectory(async () => {
      const { createCognitoUserDirectory } = await import('./repositories/cognito-user-directory.js');
      return createCognitoUserDirectory(cognitoOptions, config.userPoolId);
    }),
    now: () => new Date(),
    logger,
    userPoolId: config.userPoolId,
  };
}
