import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/errors.js';
import { loadApiConfig, loadBaseConfig, loadCallerConfig, loadProfilesConfig } from '../../auth-service/src/config.js';

const api = { STAGE: 'dev', AWS_REGION: 'us-east-1', PROFILES_TABLE: 'auth-service-dev-profiles', USER_POOL_ID: 'us-east-1_Ab12Cd34E' };

describe('auth service configuration', () => {
  it('reads what the profile routes need, with no endpoint override by default', () => {
    expect(loadApiConfig(api)).toEqual({
      stage: 'dev',
      logLevel: 'info',
      functionName: undefined,
      userPoolId: 'us-east-1_Ab12Cd34E',
      region: 'us-east-1',
      profilesTable: 'auth-service-dev-profiles',
      dynamodbEndpoint: undefined,
      cognitoEndpoint: undefined,
    });
  });

  it('lets each function need only its own variables', () => {
    expect(loadBaseConfig({})).toMatchObject({ stage: 'local', logLevel: 'info' });
    expect(loadCallerConfig({ USER_POOL_ID: 'local_3vHbCpwv' }).userPoolId).toBe('local_3vHbCpwv');
    // The trigger gets no USER_POOL_ID: it reads the pool from its event.
    expect(loadProfilesConfig({ AWS_REGION: 'us-east-1', PROFILES_TABLE: 't' })).toMatchObject({ profilesTable: 't' });
  });

  it('takes the service endpoint over the generic one, as the SDK does', () => {
    const config = loadApiConfig({ ...api, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' });

    expect(config.dynamodbEndpoint).toBe('http://127.0.0.1:8000');
    expect(config.cognitoEndpoint).toBe('http://127.0.0.1:4566');
  });

  it('ignores configured endpoints when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is set', () => {
    const config = loadApiConfig({ ...api, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' });

    expect(config.dynamodbEndpoint).toBeUndefined();
    expect(config.cognitoEndpoint).toBeUndefined();
  });

  it.each<[Record<string, string>, string]>([
    [{ ...api, USER_POOL_ID: '' }, 'USER_POOL_ID: is required but not set'],
    [{ ...api, USER_POOL_ID: 'arn:aws:cognito-idp:us-east-1:123:userpool/us-east-1_Ab12Cd34E' }, 'USER_POOL_ID: must look like <region>_<id>'],
    [{ ...api, PROFILES_TABLE: ' ' }, 'PROFILES_TABLE: is required but not set'],
    [{ ...api, AWS_REGION: '' }, 'AWS_REGION: is required but not set'],
    [{ ...api, LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, silent'],
    [{ ...api, AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' }, 'AWS_ENDPOINT_URL_DYNAMODB: must be an http(s) URL'],
    [{ ...api, AWS_ENDPOINT_URL: 'not a url' }, 'AWS_ENDPOINT_URL: must be an http(s) URL'],
    [{ ...api, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'ftp://127.0.0.1' }, 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: must be an http(s) URL'],
  ])('names the variable at fault (%o)', (env, message) => {
    expect(() => loadApiConfig(env)).toThrow(ConfigError);
    expect(() => loadApiConfig(env)).toThrow(message);
  });
});
