import { boolean, oneOf, optionalString, requiredString, type Env } from '../../shared/config.js';
import { ConfigError } from '../../shared/errors.js';

// The only module that reads process.env; each function reads what it needs once, at cold start,
// so a missing or bad variable fails the init with its name in the message.

const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
// Cognito's documented pattern for user pool ids; the part before `_` is the pool's region.
const userPoolIdPattern = /^[\w-]+_[0-9a-zA-Z]+$/;

/** What every function of the service reads: where it runs and how much it logs. */
export interface BaseConfig {
  stage: string;
  logLevel: (typeof logLevels)[number];
  /** AWS_LAMBDA_FUNCTION_NAME, set by Lambda. */
  functionName?: string;
}

/** Functions that identify the caller of an IAM route. */
export interface CallerConfig extends BaseConfig {
  /** USER_POOL_ID: the only pool whose users may call the private routes. */
  userPoolId: string;
}

/** Functions that read or write profiles. */
export interface ProfilesConfig extends BaseConfig {
  region: string;
  profilesTable: string;
  /** AWS_ENDPOINT_URL_DYNAMODB, else AWS_ENDPOINT_URL: a local DynamoDB API such as dynalite. */
  dynamodbEndpoint?: string;
}

/** The profile routes: both of the above, plus the user pool API for create-on-read. */
export interface ApiConfig extends CallerConfig, ProfilesConfig {
  /** AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, else AWS_ENDPOINT_URL: e.g. cognito-local. */
  cognitoEndpoint?: string;
}

/** STAGE, LOG_LEVEL and the function name. */
export function loadBaseConfig(env: Env = process.env): BaseConfig {
  return {
    stage: optionalString(env, 'STAGE') ?? 'local',
    logLevel: oneOf(env, 'LOG_LEVEL', logLevels, 'info'),
    functionName: optionalString(env, 'AWS_LAMBDA_FUNCTION_NAME'),
  };
}

/** The base configuration and USER_POOL_ID (GET /hello). */
export function loadCallerConfig(env: Env = process.env): CallerConfig {
  const userPoolId = requiredString(env, 'USER_POOL_ID');
  if (!userPoolIdPattern.test(userPoolId)) {
    throw new ConfigError('USER_POOL_ID', `must look like <region>_<id>, got "${userPoolId}"`);
  }
  return { ...loadBaseConfig(env), userPoolId };
}

/** The base configuration, AWS_REGION, PROFILES_TABLE and the DynamoDB endpoint (the trigger). */
export function loadProfilesConfig(env: Env = process.env): ProfilesConfig {
  return {
    ...loadBaseConfig(env),
    region: requiredString(env, 'AWS_REGION'),
    profilesTable: requiredString(env, 'PROFILES_TABLE'),
    dynamodbEndpoint: endpoint(env, 'AWS_ENDPOINT_URL_DYNAMODB'),
  };
}

/** Everything the profile routes need. */
export function loadApiConfig(env: Env = process.env): ApiConfig {
  return {
    ...loadCallerConfig(env),
    ...loadProfilesConfig(env),
    cognitoEndpoint: endpoint(env, 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'),
  };
}

/**
 * The SDK's configured-endpoint rules: the service-specific variable wins over AWS_ENDPOINT_URL,
 * and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns both off.
 */
function endpoint(env: Env, serviceVariable: string): string | undefined {
  if (boolean(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', false)) return undefined;
  const variable = optionalString(env, serviceVariable) === undefined ? 'AWS_ENDPOINT_URL' : serviceVariable;
  const value = optionalString(env, variable);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigError(variable, `must be an http(s) URL, got "${value}"`);
  }
  return value;
}
