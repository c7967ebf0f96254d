import type { Logger } from '../../shared/logger.js';
import { createCognitoClient } from './clients/cognito-identity-provider.js';
import { createDocumentClient } from './clients/dynamodb.js';
import { apiClientOptions, triggerClientOptions } from './clients/options.js';
import type { ApiConfig, ProfilesConfig } from './config.js';
import type { ProfileDependencies, ProfileStore } from './domain/profiles.js';
import { CognitoUserDirectory } from './repositories/cognito-user-directory.js';
import { DynamoDbProfileRepository } from './repositories/dynamodb-profile-repository.js';

// What each function builds once per cold start from its configuration. Tests build the same
// from their own configuration and a logger that keeps its lines.

/** The PostConfirmation trigger's store, with client timeouts that fit Cognito's 5 s limit. */
export function createTriggerStore(config: ProfilesConfig, logger: Logger): ProfileStore {
  const client = createDocumentClient({ region: config.region, endpoint: config.dynamodbEndpoint, ...triggerClientOptions });
  return { profiles: new DynamoDbProfileRepository(client, config.profilesTable), now: () => new Date(), logger };
}

/** The profile routes' dependencies: the profiles table and the user pool. */
export function createProfileDependencies(config: ApiConfig, logger: Logger): ProfileDependencies & { userPoolId: string } {
  const dynamodb = createDocumentClient({ region: config.region, endpoint: config.dynamodbEndpoint, ...apiClientOptions });
  const cognito = createCognitoClient({ region: config.region, endpoint: config.cognitoEndpoint, ...apiClientOptions });
  return {
    profiles: new DynamoDbProfileRepository(dynamodb, config.profilesTable),
    users: new CognitoUserDirectory(cognito, config.userPoolId),
    now: () => new Date(),
    logger,
    userPoolId: config.userPoolId,
  };
}
