import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../shared/errors.js';
import { callerOf, parseCaller, type IdentityFields } from '../../auth-service/src/domain/caller.js';
import { ForbiddenError, UnauthorizedError } from '../../auth-service/src/errors.js';
import { loadFixture } from '../helpers/fixtures.js';
import { thrownBy } from '../helpers/thrown.js';

const pool = 'us-east-1_Ab12Cd34E';
const sub = '7c1e4b52-9a3f-4d8e-b6a1-2f5c8d9e0a13';
const identityId = 'us-east-1:5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
const event = loadFixture<APIGatewayProxyEvent>('apigateway', 'get-profile');

/** The provider string API Gateway writes for a user of `userPool` signed in through the identity pool. */
const provider = (userPool: string, user = sub, region = userPool.split('_')[0]) =>
  `cognito-idp.${region}.amazonaws.com/${userPool},cognito-idp.${region}.amazonaws.com/${userPool}:CognitoSignIn:${user}`;

/** The fixture's identity with some fields replaced. */
const identity = (overrides: Partial<Record<keyof IdentityFields, string | null | undefined>>): IdentityFields => ({
  cognitoAuthenticationType: 'authenticated',
  cognitoAuthenticationProvider: provider(pool),
  cognitoIdentityId: identityId,
  ...overrides,
});

describe('parseCaller', () => {
  it('reads the sub and identity id of a signed-in user of our pool from a real event', () => {
    expect(callerOf(event, pool)).toEqual({ sub, identityId });
  });

  it.each<[string, IdentityFields | null | undefined]>([
    ['no identity at all', undefined],
    ['a null identity', null],
    ['IAM credentials that are not from the identity pool', identity({ cognitoAuthenticationType: null, cognitoAuthenticationProvider: null, cognitoIdentityId: null })],
    ['an authenticated identity without a provider', identity({ cognitoAuthenticationProvider: null })],
    ['an empty provider', identity({ cognitoAuthenticationProvider: '' })],
    ['no identity id', identity({ cognitoIdentityId: undefined })],
  ])('answers 401 for %s', (_case, fields) => {
    const call = () => parseCaller(fields, pool);

    expect(call).toThrow(UnauthorizedError);
    expect(call).toThrow(expect.objectContaining({ statusCode: 401, code: 'Unauthorized' }));
  });

  it.each<[string, IdentityFields]>([
    ['a guest (unauthenticated) identity', identity({ cognitoAuthenticationType: 'unauthenticated', cognitoAuthenticationProvider: null })],
    ['an unknown authentication type', identity({ cognitoAuthenticationType: 'developer' })],
    ['a user of another pool', identity({ cognitoAuthenticationProvider: provider('us-east-1_Zz99Yy88X') })],
    ['our pool id under another region', identity({ cognitoAuthenticationProvider: provider(pool, sub, 'eu-west-1') })],
    ['a login half naming another pool', identity({ cognitoAuthenticationProvider: `${provider(pool).split(',')[0]},${provider('us-east-1_Zz99Yy88X').split(',')[1]}` })],
    ['a login that is not a user pool sign-in', identity({ cognitoAuthenticationProvider: provider(pool).replace('CognitoSignIn', 'CognitoRefresh') })],
    ['a provider without the login half', identity({ cognitoAuthenticationProvider: provider(pool).split(',')[0] })],
    ['a sub that is not a UUID', identity({ cognitoAuthenticationProvider: provider(pool, '../admin') })],
    ['another identity provider', identity({ cognitoAuthenticationProvider: 'graph.facebook.com:1234567890' })],
    ['a provider with trailing text', identity({ cognitoAuthenticationProvider: `${provider(pool)},x` })],
  ])('answers 403 for %s', (_case, fields) => {
    const call = () => parseCaller(fields, pool);

    expect(call).toThrow(ForbiddenError);
    expect(call).toThrow(expect.objectContaining({ statusCode: 403, code: 'Forbidden' }));
  });

  it('refuses with an HTTP error, never anything else, whatever the identity holds', () => {
    const odd: unknown[] = [{}, { cognitoAuthenticationType: 'authenticated' }, { cognitoIdentityId: 'x', cognitoAuthenticationType: 'authenticated', cognitoAuthenticationProvider: ',,,' }];

    for (const fields of odd) expect(() => parseCaller(fields as IdentityFields, pool)).toThrow(HttpError);
    expect(() => callerOf({ requestContext: null }, pool)).toThrow(UnauthorizedError);
    expect(() => callerOf({}, pool)).toThrow(UnauthorizedError);
  });

  it('does not tell the caller which pool is expected', () => {
    const refusal = thrownBy(() => parseCaller(identity({ cognitoAuthenticationProvider: provider('us-east-1_Zz99Yy88X') }), pool));

    expect(refusal.message).not.toContain(pool);
  });
});
