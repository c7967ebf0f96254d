// The offline stack's reading of the packaged templates: intrinsic functions resolved against
// the local ids, and the StackModel extracted from real packaged templates (test/fixtures/local/,
// `sls package --stage local` of both services).
import { describe, expect, it } from 'vitest';
import type { LocalIds, StackSettings } from '../../local/model.js';
import { TemplateError } from '../../local/template/errors.js';
import { createResolver } from '../../local/template/intrinsics.js';
import { stackModel } from '../../local/template/model.js';
import { localResourceLookup } from '../../local/template/physical-ids.js';
import type { CfnTemplate } from '../../local/template/template.js';
import { loadFixture } from '../helpers/fixtures.js';
import { thrownBy } from '../helpers/thrown.js';

const ids: LocalIds = {
  userPoolId: 'us-east-1_LocalPool1',
  userPoolClientId: 'localclient0000000000000001',
  identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000001',
  apiId: 'localapi01',
};
const settings: StackSettings = { region: 'us-east-1', accountId: '123456789012', stage: 'local', stateDir: '.local' };

const resources: CfnTemplate['Resources'] = {
  Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: { 'Fn::Sub': '${AWS::StackName}-fn' } } },
  Named: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'profiles' } },
  Unnamed: { Type: 'AWS::DynamoDB::Table', Properties: {} },
  Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/service/', RoleName: 'runner' } },
  Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
  Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: {} },
  Identities: { Type: 'AWS::Cognito::IdentityPool', Properties: {} },
  Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
  Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/svc-local-fn' } },
  Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'failed' } },
  Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
  Loop: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { Ref: 'Loop' } } },
  Optional: { Type: 'AWS::SQS::Queue', Condition: 'IsProd', Properties: {} },
};

function resolverFor(template: Partial<CfnTemplate> = {}, importValue?: (name: string) => unknown) {
  return createResolver({
    template: { Resources: resources, ...template },
    pseudo: { region: 'eu-west-1', accountId: '123456789012', stackName: 'svc-local' },
    resources: localResourceLookup(ids),
    importValue,
  });
}

describe('intrinsic functions', () => {
  it('resolves the pseudo parameters', () => {
    const pseudo = ['Region', 'AccountId', 'Partition', 'StackName', 'URLSuffix'].map((name) => ({ Ref: `AWS::${name}` }));
    expect(resolverFor().resolve(pseudo, 'test')).toEqual(['eu-west-1', '123456789012', 'aws', 'svc-local', 'amazonaws.com']);
  });

  it('gives each resource type its local physical id for Ref', () => {
    const refs = ['Fn', 'Named', 'Unnamed', 'Role', 'Pool', 'Client', 'Identities', 'Api', 'Logs', 'Queue'].map((id) => ({ Ref: id }));
    expect(resolverFor().resolve(refs, 'test')).toEqual([
      'svc-local-fn',
      'profiles',
      'svc-local-Unnamed',
      'runner',
      ids.userPoolId,
      ids.userPoolClientId,
      ids.identityPoolId,
      ids.apiId,
      '/aws/lambda/svc-local-fn',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/failed',
    ]);
  });

  it('formats Fn::GetAtt ARNs as AWS does, in both the list and the dotted form', () => {
    const resolved = resolverFor().resolve(
      [
        { 'Fn::GetAtt': ['Fn', 'Arn'] },
        { 'Fn::GetAtt': 'Named.Arn' },
        { 'Fn::GetAtt': ['Role', 'Arn'] },
        { 'Fn::GetAtt': ['Pool', 'Arn'] },
        { 'Fn::GetAtt': ['Pool', 'ProviderName'] },
        { 'Fn::GetAtt': ['Logs', 'Arn'] },
        { 'Fn::GetAtt': ['Queue', 'Arn'] },
      ],
      'test',
    );
    expect(resolved).toEqual([
      'arn:aws:lambda:eu-west-1:123456789012:function:svc-local-fn',
      'arn:aws:dynamodb:eu-west-1:123456789012:table/profiles',
      'arn:aws:iam::123456789012:role/service/runner',
      `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${ids.userPoolId}`,
      `cognito-idp.eu-west-1.amazonaws.com/${ids.userPoolId}`,
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/svc-local-fn:*',
      'arn:aws:sqs:eu-west-1:123456789012:failed',
    ]);
  });

  it('substitutes references, attributes, variables and escaped literals in Fn::Sub', () => {
    const resolver = resolverFor();
    const short = resolver.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/local/GET/hello' }, 'test');
    const long = resolver.resolve(
      { 'Fn::Sub': ['${Name} ${Fn.Arn} ${!Literal}', { Name: { 'Fn::Join': ['-', ['a', { Ref: 'Named' }]] } }] },
      'test',
    );
    expect(short).toBe('arn:aws:execute-api:eu-west-1:123456789012:localapi01/local/GET/hello');
    expect(long).toBe('a-profiles arn:aws:lambda:eu-west-1:123456789012:function:svc-local-fn ${Literal}');
  });

  it('joins, selects and splits', () => {
    const value = { 'Fn::Join': ['', ["'", { 'Fn::Join': [',', ['A', 'B']] }, "'", { 'Fn::Select': [1, { 'Fn::Split': [':', 'ssm:/x'] }] }]] };
    expect(resolverFor().resolve(value, 'test')).toBe("'A,B'/x");
  });

  it('evaluates conditions with Fn::Equals, Fn::Not, Fn::And, Fn::Or and named conditions', () => {
    const resolver = resolverFor({
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        HasSecret: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] },
        Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['true', true] }] },
        Both: { 'Fn::And': [{ Condition: 'Either' }, { Condition: 'HasSecret' }] },
      },
    });
    expect(['IsProd', 'HasSecret', 'Either', 'Both'].map((name) => resolver.condition(name))).toEqual([false, false, true, false]);
    expect(resolver.exists(resources.Optional!)).toBe(false);
    expect(resolver.exists(resources.Queue!)).toBe(true);
  });

  it('picks the Fn::If branch and removes AWS::NoValue from objects and lists', () => {
    const resolver = resolverFor({ Conditions: { Yes: { 'Fn::Equals': ['a', 'a'] } } });
    const value = {
      Kept: { 'Fn::If': ['Yes', 'then', 'else'] },
      Dropped: { 'Fn::If': ['Yes', { Ref: 'AWS::NoValue' }, 'else'] },
      List: ['a', { 'Fn::If': ['Yes', { Ref: 'AWS::NoValue' }, 'b'] }],
    };
    expect(resolver.resolve(value, 'test')).toEqual({ Kept: 'then', List: ['a'] });
  });

  it('imports values that another stack exports', () => {
    const resolver = resolverFor({}, (name) => (name === 'log-forwarder-local-arn' ? 'arn:aws:lambda:eu-west-1:123456789012:function:fwd' : undefined));
    expect(resolver.resolve({ 'Fn::ImportValue': { 'Fn::Sub': 'log-forwarder-local-arn' } }, 'test')).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:fwd',
    );
    expect(thrownBy(() => resolver.resolve({ 'Fn::ImportValue': 'missing' }, 'Outputs.X')).message).toBe(
      'Outputs.X.Fn::ImportValue: Fn::ImportValue "missing": no stack exports that name',
    );
  });

  it('names the resource and property of a reference it cannot resolve', () => {
    const resolver = resolverFor();
    const where = 'Resources.Fn.Properties.Environment.Variables.TABLE';
    expect(thrownBy(() => resolver.resolve({ Ref: 'Nowhere' }, where)).message).toBe(
      `${where}: Ref to "Nowhere", which is not a resource, parameter or pseudo parameter of svc-local`,
    );
    expect(thrownBy(() => resolver.resolve({ 'Fn::GetAtt': ['Named', 'StreamArn'] }, where)).message).toBe(
      `${where}: Fn::GetAtt Named.StreamArn: AWS::DynamoDB::Table has no local value for attribute StreamArn`,
    );
    expect(thrownBy(() => resolver.resolve({ 'Fn::Sub': '${Topic}' }, where)).message).toBe(
      `${where}.Fn::Sub \${Topic}: Ref to AWS::SNS::Topic "Topic" has no local value`,
    );
  });

  it('rejects unsupported functions, cycles, unknown conditions and bad indexes with a TemplateError', () => {
    const resolver = resolverFor();
    const cases = [
      [{ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, 'here: unsupported intrinsic function Fn::Cidr'],
      [{ Ref: 'Loop' }, 'Resources.Loop.Properties.TableName: circular reference through "Loop"'],
      [{ 'Fn::If': ['Unknown', 'a', 'b'] }, 'condition "Unknown" is not defined in svc-local'],
      [{ 'Fn::Select': [3, ['a']] }, 'here.Fn::Select: Fn::Select index 3 is outside a list of 1'],
      [{ 'Fn::Join': ['-', [{ 'Fn::GetAtt': ['Api', 'Nope'] }]] }, 'here.Fn::Join[0]: Fn::GetAtt Api.Nope: AWS::ApiGateway::RestApi has no local value for attribute Nope'],
    ] as const;
    for (const [value, message] of cases) {
      const error = thrownBy(() => resolver.resolve(value, 'here'));
      expect(error).toBeInstanceOf(TemplateError);
      expect(error.message).toBe(message);
    }
  });
});

const templates = {
  'log-forwarder': loadFixture<CfnTemplate>('local', 'log-forwarder-template'),
  'auth-service': loadFixture<CfnTemplate>('local', 'auth-service-template'),
};
const functionNames = ['health', 'hello', 'getProfile', 'putProfile', 'postConfirmation'].map((key) => `auth-service-local-${key}`);
const functionFiles = Object.fromEntries(
  ['log-forwarder-local-forwarder', ...functionNames].map((name) => [name, `/state/build/functions/${name}/handler.mjs`]),
);

/** A deep copy of the packaged templates to break on purpose. */
function copyOfTemplates() {
  return structuredClone(templates);
}

describe('the StackModel of the packaged templates', () => {
  const model = stackModel({ templates }, settings, ids, functionFiles);

  it('runs every function with its handler, resolved environment, timeout, memory and log group', () => {
    const hello = model.functions.find(({ key }) => key === 'hello');
    expect(model.functions.map(({ service, name }) => `${service}:${name}`)).toEqual([
      'log-forwarder:log-forwarder-local-forwarder',
      ...functionNames.map((name) => `auth-service:${name}`),
    ]);
    expect(hello).toEqual({
      service: 'auth-service',
      key: 'hello',
      name: 'auth-service-local-hello',
      handlerFile: functionFiles['auth-service-local-hello'],
      handlerExport: 'handler',
      environment: {
        STAGE: 'local',
        LOG_LEVEL: 'info',
        PROFILES_TABLE: 'auth-service-local-profiles',
        NODE_OPTIONS: '--enable-source-maps',
        USER_POOL_ID: ids.userPoolId,
      },
      timeoutSeconds: 10,
      memoryMb: 256,
      logGroup: '/aws/lambda/auth-service-local-hello',
    });
    expect(model.functions[0]).toMatchObject({ key: 'forwarder', timeoutSeconds: 60, memoryMb: 512 });
  });

  it('builds each route path from the API resources, with AWS_IAM on the private routes', () => {
    expect(model.api.apiId).toBe(ids.apiId);
    expect(model.api.stage).toBe('local');
    expect(model.api.routes.map((route) => `${route.method} ${route.path} ${route.authorization} ${route.functionName}`)).toEqual([
      'GET /health NONE auth-service-local-health',
      'GET /hello AWS_IAM auth-service-local-hello',
      'GET /profile AWS_IAM auth-service-local-getProfile',
      'PUT /profile AWS_IAM auth-service-local-putProfile',
    ]);
  });

  it('answers preflights as the OPTIONS mocks do and adds the gateway responses headers', () => {
    expect(Object.keys(model.api.cors)).toEqual(['/health', '/hello', '/profile']);
    expect(model.api.cors['/profile']).toEqual({
      allowOrigin: '*',
      allowHeaders: 'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amz-Content-Sha256,X-Amzn-Trace-Id',
      allowMethods: 'OPTIONS,PUT,GET',
    });
    expect(model.api.gatewayResponses.map(({ type }) => type)).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
    expect(model.api.gatewayResponses[0]?.headers).toEqual({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': model.api.cors['/profile']?.allowHeaders,
    });
  });

  it('wires the user pool trigger and client, and the identity pool role with its resolved policy', () => {
    expect(model.userPool.triggers).toEqual({ PostConfirmation: 'auth-service-local-postConfirmation' });
    expect(model.userPool.properties).toMatchObject({ UsernameAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 12 } } });
    expect(model.userPool.client.properties).toMatchObject({ UserPoolId: ids.userPoolId, GenerateSecret: false });
    expect(model.identityPool).toEqual({
      allowUnauthenticated: false,
      authenticatedRoleArn: 'arn:aws:iam::123456789012:role/auth-service-local-CognitoAuthenticatedRole',
      authenticatedPolicy: [
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: ['GET/hello', 'GET/profile', 'PUT/profile'].map((route) => `arn:aws:execute-api:us-east-1:123456789012:localapi01/local/${route}`),
        },
      ],
    });
  });

  it('turns the table into a CreateTable input and every subscription filter to the forwarder', () => {
    expect(model.tables).toEqual([
      {
        name: 'auth-service-local-profiles',
        properties: {
          TableName: 'auth-service-local-profiles',
          AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: true,
          SSESpecification: { Enabled: true },
        },
      },
    ]);
    expect(model.subscriptions).toEqual(
      functionNames.map((name) => ({ logGroup: `/aws/lambda/${name}`, filterPattern: '', functionName: 'log-forwarder-local-forwarder' })),
    );
  });

  it("resolves Fn::ImportValue against the forwarder stack's exports", () => {
    const changed = copyOfTemplates();
    changed['auth-service'].Resources.SubscriptionFilterHello!.Properties!.DestinationArn = { 'Fn::ImportValue': 'log-forwarder-local-arn' };

    const imported = stackModel({ templates: changed }, settings, ids, functionFiles);

    expect(imported.subscriptions[1]?.functionName).toBe('log-forwarder-local-forwarder');
  });

  it('refuses a function without a bundled module, a route to an unknown function and a second user pool', () => {
    const { 'auth-service-local-hello': _missing, ...withoutHello } = functionFiles;
    const strayRoute = copyOfTemplates();
    const elsewhere = 'arn:aws:lambda:us-east-1:123456789012:function:elsewhere';
    strayRoute['auth-service'].Resources.ApiGatewayMethodHelloGet!.Properties!.Integration = {
      Type: 'AWS_PROXY',
      Uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${elsewhere}/invocations`,
    };
    const twoPools = copyOfTemplates();
    twoPools['log-forwarder'].Resources.SecondPool = { Type: 'AWS::Cognito::UserPool', Properties: {} };

    expect(thrownBy(() => stackModel({ templates }, settings, ids, withoutHello)).message).toBe(
      'function auth-service-local-hello (auth-service, HelloLambdaFunction) has no bundled handler module',
    );
    expect(thrownBy(() => stackModel({ templates: strayRoute }, settings, ids, functionFiles)).message).toBe(
      'route GET /hello invokes elsewhere, which is not a function of the templates',
    );
    expect(thrownBy(() => stackModel({ templates: twoPools }, settings, ids, functionFiles)).message).toBe(
      'the offline stack runs exactly one AWS::Cognito::UserPool; the templates have 2 (SecondPool, CognitoUserPoolUsers)',
    );
  });
});
