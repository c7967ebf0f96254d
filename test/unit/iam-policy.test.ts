import { describe, expect, it } from 'vitest';
import {
  PolicyDecision,
  PolicyError,
  compilePolicy,
  evaluatePolicy,
  methodArn,
} from '../../local/gateway/iam-policy.js';

const api = 'arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5';
const invoke = 'execute-api:Invoke';

/** The gateway lets a request through only on an Allow decision. */
const isAllowed = (...args: Parameters<typeof evaluatePolicy>): boolean => evaluatePolicy(...args) === PolicyDecision.Allow;

/** The authenticated role's statement from resources/auth-identity-pool.yml, resolved. */
const rolePolicy = [
  {
    Effect: 'Allow',
    Action: 'execute-api:Invoke',
    Resource: [`${api}/dev/GET/hello`, `${api}/dev/GET/profile`, `${api}/dev/PUT/profile`],
  },
];

describe('isAllowed', () => {
  it('allows exactly the routes of the role and nothing else', () => {
    const policy = compilePolicy(rolePolicy);

    expect(isAllowed(policy, invoke, `${api}/dev/GET/profile`)).toBe(true);
    expect(isAllowed(policy, invoke, `${api}/dev/PUT/profile`)).toBe(true);
    expect(isAllowed(policy, invoke, `${api}/dev/DELETE/profile`)).toBe(false);
    expect(isAllowed(policy, invoke, `${api}/dev/GET/health`)).toBe(false);
    expect(isAllowed(policy, invoke, `${api}/prod/GET/profile`)).toBe(false);
    expect(isAllowed(policy, 'execute-api:ManageConnections', `${api}/dev/GET/profile`)).toBe(false);
  });

  it('denies by default when no statement matches', () => {
    expect(evaluatePolicy(compilePolicy([]), invoke, `${api}/dev/GET/hello`)).toBe(PolicyDecision.ImplicitDeny);
  });

  it('lets an explicit Deny win over an Allow, whatever their order', () => {
    const allowAll = { Effect: 'Allow', Action: 'execute-api:*', Resource: `${api}/*` };
    const denyPut = { Effect: 'Deny', Action: invoke, Resource: `${api}/dev/PUT/*` };

    for (const policy of [compilePolicy([allowAll, denyPut]), compilePolicy([denyPut, allowAll])]) {
      expect(evaluatePolicy(policy, invoke, `${api}/dev/PUT/profile`)).toBe(PolicyDecision.ExplicitDeny);
      expect(evaluatePolicy(policy, invoke, `${api}/dev/GET/profile`)).toBe(PolicyDecision.Allow);
    }
  });

  it.each(['*', 'execute-api:*', 'execute-api:Inv*', 'execute-api:Invok?', 'EXECUTE-API:invoke'])(
    'matches the action with %s (wildcards, any case)',
    (action) => {
      const policy = compilePolicy([{ Effect: 'Allow', Action: action, Resource: '*' }]);

      expect(isAllowed(policy, invoke, `${api}/dev/GET/hello`)).toBe(true);
    },
  );

  it('does not match another service or a longer action name', () => {
    const policy = compilePolicy([{ Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: '*' }]);

    expect(isAllowed(policy, 'lambda:Invoke', `${api}/dev/GET/hello`)).toBe(false);
    expect(isAllowed(policy, 'execute-api:InvokeApi', `${api}/dev/GET/hello`)).toBe(false);
  });

  it('matches resource ARNs case-sensitively', () => {
    const policy = compilePolicy(rolePolicy);

    expect(isAllowed(policy, invoke, `${api}/dev/get/profile`)).toBe(false);
    expect(isAllowed(policy, invoke, `${api}/dev/GET/Profile`)).toBe(false);
  });

  it('lets * in a resource span slashes, and ? stand for one character', () => {
    const policy = compilePolicy([
      { Effect: 'Allow', Action: invoke, Resource: [`${api}/dev/*/users/*`, `${api}/dev/GET/item?`] },
    ]);

    expect(isAllowed(policy, invoke, `${api}/dev/GET/users/42/photos/7`)).toBe(true);
    expect(isAllowed(policy, invoke, `${api}/dev/GET/item1`)).toBe(true);
    expect(isAllowed(policy, invoke, `${api}/dev/GET/item`)).toBe(false);
    expect(isAllowed(policy, invoke, `${api}/dev/GET/item12`)).toBe(false);
  });

  it('keeps a wildcard within its ARN segment', () => {
    const policy = compilePolicy([
      { Effect: 'Allow', Action: invoke, Resource: 'arn:aws:execute-api:*:000000000000:a1b2c3d4e5/*' },
    ]);

    expect(isAllowed(policy, invoke, 'arn:aws:execute-api:eu-west-1:000000000000:a1b2c3d4e5/dev/GET/x')).toBe(true);
    expect(isAllowed(policy, invoke, 'arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/dev/GET/x')).toBe(false);
    expect(isAllowed(policy, invoke, 'arn:aws:execute-api:a:b:000000000000:a1b2c3d4e5/dev/GET/x')).toBe(false);
  });

  it('treats regular-expression characters in patterns literally', () => {
    const policy = compilePolicy([{ Effect: 'Allow', Action: invoke, Resource: `${api}/dev/GET/a.b+(c)` }]);

    expect(isAllowed(policy, invoke, `${api}/dev/GET/a.b+(c)`)).toBe(true);
    expect(isAllowed(policy, invoke, `${api}/dev/GET/aXb+(c)`)).toBe(false);
  });

  it('combines several statements, each with lists of actions and resources', () => {
    const policy = compilePolicy([
      { Sid: 'Read', Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: [`${api}/dev/GET/*`] },
      { Sid: 'Write', Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: [`${api}/dev/PUT/profile`] },
      { Sid: 'NoAdmin', Effect: 'Deny', Action: ['execute-api:*'], Resource: [`${api}/dev/GET/admin*`] },
    ]);

    expect(isAllowed(policy, invoke, `${api}/dev/GET/profile`)).toBe(true);
    expect(isAllowed(policy, invoke, `${api}/dev/PUT/profile`)).toBe(true);
    expect(isAllowed(policy, invoke, `${api}/dev/POST/profile`)).toBe(false);
    expect(evaluatePolicy(policy, invoke, `${api}/dev/GET/admin/users`)).toBe(PolicyDecision.ExplicitDeny);
  });

  it('applies NotAction and NotResource as the complement of their lists', () => {
    const policy = compilePolicy([
      { Effect: 'Allow', NotAction: 'execute-api:ManageConnections', NotResource: `${api}/dev/DELETE/*` },
    ]);

    expect(isAllowed(policy, invoke, `${api}/dev/GET/profile`)).toBe(true);
    expect(isAllowed(policy, invoke, `${api}/dev/DELETE/profile`)).toBe(false);
    expect(isAllowed(policy, 'execute-api:ManageConnections', `${api}/dev/GET/profile`)).toBe(false);
  });

  it('substitutes policy variables from the context and never matches an unknown one', () => {
    const statements = [
      { Effect: 'Allow', Action: invoke, Resource: `${api}/dev/GET/users/\${cognito-identity.amazonaws.com:sub}` },
    ];
    const mine = compilePolicy(statements, { variables: { 'cognito-identity.amazonaws.com:sub': 'us-east-1:abc' } });
    const unknown = compilePolicy(statements);

    expect(isAllowed(mine, invoke, `${api}/dev/GET/users/us-east-1:abc`)).toBe(true);
    expect(isAllowed(mine, invoke, `${api}/dev/GET/users/us-east-1:xyz`)).toBe(false);
    expect(isAllowed(unknown, invoke, `${api}/dev/GET/users/us-east-1:abc`)).toBe(false);
  });
});

describe('compilePolicy', () => {
  it.each<[string, unknown, RegExp]>([
    ['a Condition', { Effect: 'Allow', Action: invoke, Resource: '*', Condition: { Bool: {} } }, /Condition is not supported/],
    ['a Principal', { Effect: 'Allow', Action: invoke, Resource: '*', Principal: '*' }, /no Principal/],
    ['both Action and NotAction', { Effect: 'Allow', Action: invoke, NotAction: invoke, Resource: '*' }, /Action and NotAction/],
    ['no Resource', { Sid: 'S1', Effect: 'Allow', Action: invoke }, /statement 0 \(S1\): .*Resource and NotResource/],
    ['an Effect in lower case', { Effect: 'allow', Action: invoke, Resource: '*' }, /Effect/],
    ['a resource that is not a string', { Effect: 'Allow', Action: invoke, Resource: { 'Fn::Sub': 'x' } }, /Resource/],
  ])('refuses a statement with %s', (_case, statement, message) => {
    const compile = () => compilePolicy([statement]);

    expect(compile).toThrow(PolicyError);
    expect(compile).toThrow(message);
  });
});

describe('methodArn', () => {
  it('builds the ARN API Gateway authorizes a request against', () => {
    const arn = methodArn({
      region: 'us-east-1',
      accountId: '000000000000',
      apiId: 'a1b2c3d4e5',
      stage: 'dev',
      method: 'get',
      path: '/profile',
    });

    expect(arn).toBe('arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/dev/GET/profile');
    expect(isAllowed(compilePolicy(rolePolicy), invoke, arn)).toBe(true);
  });

  it('ends with a slash for the stage root, and takes another partition', () => {
    const arn = methodArn({
      region: 'cn-north-1',
      accountId: '000000000000',
      apiId: 'a1b2c3d4e5',
      stage: 'dev',
      method: 'POST',
      path: '/',
      partition: 'aws-cn',
    });

    expect(arn).toBe('arn:aws-cn:execute-api:cn-north-1:000000000000:a1b2c3d4e5/dev/POST/');
  });
});
