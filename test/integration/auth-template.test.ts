// Packages the auth service with osls, as `npm run package` does (offline, a placeholder
// forwarder ARN), for dev and for prod, and checks the CloudFormation it would deploy.
// This is the only test file that packages auth-service/: two packagings of one folder at once
// would share its .esbuild/ and .serverless/ folders.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageAuthParams, placeholderForwarderArn, slsArgs } from '../../tools/deploy-args.js';
import { repoRoot } from '../../tools/sls.js';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
interface Template {
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: unknown }>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

const serviceDir = path.join(repoRoot, 'auth-service');
const region = 'us-east-1';
const apiFunctions = ['HealthLambdaFunction', 'HelloLambdaFunction', 'GetProfileLambdaFunction', 'PutProfileLambdaFunction'];
const sigV4Headers = [
  'Content-Type',
  'Authorization',
  'X-Amz-Date',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
  'X-Amz-Content-Sha256',
];

/** Runs `sls package` for the stage and returns the update template it wrote. */
async function packageTemplate(stage: string): Promise<Template> {
  const options = { stage, region, params: [] };
  const sls = path.join(repoRoot, 'node_modules', '.bin', 'sls');
  try {
    await promisify(execFile)(sls, slsArgs('package', options, packageAuthParams(options)), {
      cwd: serviceDir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    // osls writes its error to stdout.
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`sls package --stage ${stage} failed:\n${stdout}${stderr}`, { cause: error });
  }
  const file = path.join(serviceDir, '.serverless', 'cloudformation-template-update-stack.json');
  return JSON.parse(await readFile(file, 'utf8')) as Template;
}

const entriesOfType = (template: Template, type: string): Array<[string, Resource]> =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

function resource(template: Template, id: string): Resource {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id} in the template`);
  return found;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every policy statement anywhere under `value` (identity, trust and resource policies). */
function statementsIn(value: unknown): Statement[] {
  if (Array.isArray(value)) return value.flatMap(statementsIn);
  if (!isObject(value)) return [];
  const own = Array.isArray(value.Statement) ? (value.Statement as Statement[]) : [];
  return [...own, ...Object.values(value).flatMap(statementsIn)];
}

/** The statements of a role's inline policies (not its trust policy). */
const roleStatements = (role: Resource): Statement[] => statementsIn(role.Properties.Policies);

/** Evaluates an Fn::Join of literal strings (nested joins included), as CloudFormation would. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isObject(value) && Array.isArray(value['Fn::Join'])) {
    const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.map(joined).join(separator);
  }
  throw new Error(`not a literal join: ${JSON.stringify(value)}`);
}

/** The logical ids `value` refers to with Ref, Fn::GetAtt or Fn::Sub (pseudo parameters left out). */
function referencesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (!isObject(value)) return [];
  const own: string[] = [];
  if (typeof value.Ref === 'string') own.push(value.Ref);
  if (Array.isArray(value['Fn::GetAtt'])) own.push(String(value['Fn::GetAtt'][0]));
  const sub = value['Fn::Sub'];
  const subText = typeof sub === 'string' ? sub : Array.isArray(sub) ? String(sub[0]) : undefined;
  if (subText !== undefined) {
    for (const match of subText.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) own.push(match[1] ?? '');
  }
  return [...own, ...Object.values(value).flatMap(referencesIn)];
}

/** A cycle of resources that depend on each other (through references or DependsOn), if any. */
function findCycle(template: Template): string[] | undefined {
  const edges = new Map(
    Object.entries(template.Resources).map(([id, res]) => [
      id,
      [...new Set([...referencesIn(res.Properties), ...asList(res.DependsOn)])].filter((to) => to in template.Resources),
    ]),
  );
  const done = new Set<string>();
  const visit = (id: string, trail: string[]): string[] | undefined => {
    if (trail.includes(id)) return [...trail.slice(trail.indexOf(id)), id];
    if (done.has(id)) return undefined;
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next, [...trail, id]);
      if (cycle) return cycle;
    }
    done.add(id);
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The API Gateway method for `httpMethod` on the one-segment path `pathPart`. */
function method(template: Template, pathPart: string, httpMethod: string): Resource {
  const [resourceId] =
    entriesOfType(template, 'AWS::ApiGateway::Resource').find(([, res]) => res.Properties.PathPart === pathPart) ?? [];
  const found = entriesOfType(template, 'AWS::ApiGateway::Method').find(
    ([, res]) =>
      res.Properties.HttpMethod === httpMethod && (res.Properties.ResourceId as { Ref?: string }).Ref === resourceId,
  );
  if (found === undefined) throw new Error(`no ${httpMethod} method on /${pathPart}`);
  return found[1];
}

const environmentOf = (fn: Resource): Record<string, unknown> =>
  (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

const templates: Record<'dev' | 'prod', Template> = {} as Record<'dev' | 'prod', Template>;

beforeAll(async () => {
  // prod first, so that the folder is left with the dev package, the default stage.
  templates.prod = await packageTemplate('prod');
  templates.dev = await packageTemplate('dev');
}, 240_000);

describe('auth-service template', () => {
  it('merges the PostConfirmation trigger into the one user pool', () => {
    const pools = entriesOfType(templates.dev, 'AWS::Cognito::UserPool');

    expect(pools.map(([id]) => id)).toEqual(['CognitoUserPoolUsers']);
    expect(pools[0]?.[1].Properties.LambdaConfig).toEqual({
      PostConfirmation: { 'Fn::GetAtt': ['PostConfirmationLambdaFunction', 'Arn'] },
    });
    expect(entriesOfType(templates.dev, 'Custom::CognitoUserPool')).toEqual([]);
  });

  it('lets only this user pool invoke the trigger', () => {
    const cognitoPermissions = entriesOfType(templates.dev, 'AWS::Lambda::Permission').filter(
      ([, res]) => res.Properties.Principal === 'cognito-idp.amazonaws.com',
    );

    expect(cognitoPermissions.map(([, res]) => res.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Principal: 'cognito-idp.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': ['PostConfirmationLambdaFunction', 'Arn'] },
        SourceArn: { 'Fn::GetAtt': ['CognitoUserPoolUsers', 'Arn'] },
      },
    ]);
  });

  it('signs users in by verified email, case-insensitively, under a password policy', () => {
    const pool = resource(templates.dev, 'CognitoUserPoolUsers').Properties;

    expect(pool).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    expect((pool.Policies as { PasswordPolicy: { MinimumLength: number } }).PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(8);
  });

  it('gives the web client the SRP, password and refresh flows, no secret and no user existence errors', () => {
    const [client, ...others] = entriesOfType(templates.dev, 'AWS::Cognito::UserPoolClient');

    expect(others).toEqual([]);
    expect(client?.[1].Properties).toMatchObject({
      UserPoolId: { Ref: 'CognitoUserPoolUsers' },
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect([...(client?.[1].Properties.ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
  });

  it('admits only signed-in users of the web client to the identity pool', () => {
    const [[poolId, pool] = ['', { Properties: {} }], ...others] = entriesOfType(templates.dev, 'AWS::Cognito::IdentityPool');
    const attachments = entriesOfType(templates.dev, 'AWS::Cognito::IdentityPoolRoleAttachment');

    expect(others).toEqual([]);
    expect(pool.Properties).toMatchObject({
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [
        {
          ProviderName: { 'Fn::GetAtt': ['CognitoUserPoolUsers', 'ProviderName'] },
          ClientId: { Ref: 'UsersWebClient' },
        },
      ],
    });
    expect(attachments.map(([, res]) => res.Properties)).toEqual([
      { IdentityPoolId: { Ref: poolId }, Roles: { authenticated: { 'Fn::GetAtt': ['CognitoAuthenticatedRole', 'Arn'] } } },
    ]);
  });

  it('lets only authenticated identities of this identity pool assume the authenticated role', () => {
    const trust = statementsIn(resource(templates.dev, 'CognitoAuthenticatedRole').Properties.AssumeRolePolicyDocument);

    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: 'CognitoIdentityPool' } },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      },
    ]);
  });

  it('scopes the identity role to the three private routes of this stage', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const role = resource(templates[stage], 'CognitoAuthenticatedRole');
      const routeArn = (route: string) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${ApiGatewayRestApi}/${stage}/${route}`,
      });

      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(roleStatements(role)).toEqual([
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: [routeArn('GET/hello'), routeArn('GET/profile'), routeArn('PUT/profile')],
        },
      ]);
    }
  });

  it('allows no wildcard action and no "*" resource in any policy', () => {
    for (const template of Object.values(templates)) {
      const allows = statementsIn(template.Resources).filter((statement) => statement.Effect === 'Allow');
      const wildcardActions = allows.flatMap((statement) => asList(statement.Action)).filter((action) => action.includes('*'));
      const starResources = allows.filter((statement) => asList(statement.Resource).includes('*'));

      expect(allows.length).toBeGreaterThan(0);
      expect(wildcardActions).toEqual([]);
      expect(starResources).toEqual([]);
    }
  });

  it('grants the API functions item access to the table and AdminGetUser on this pool only', () => {
    const role = resource(templates.dev, 'IamRoleLambdaExecution');
    const granted = roleStatements(role).filter((statement) => !asList(statement.Action).every((a) => a.startsWith('logs:')));

    expect(granted).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': ['ProfilesTable', 'Arn'] },
      },
      { Effect: 'Allow', Action: ['cognito-idp:AdminGetUser'], Resource: { 'Fn::GetAtt': ['CognitoUserPoolUsers', 'Arn'] } },
    ]);
    for (const id of apiFunctions) {
      expect(resource(templates.dev, id).Properties.Role).toEqual({ 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] });
    }
  });

  it('gives the trigger its own role: PutItem on the table and writes to its own log group', () => {
    const trigger = resource(templates.dev, 'PostConfirmationLambdaFunction');
    const roleId = (trigger.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

    expect(roleId).not.toBe('IamRoleLambdaExecution');
    expect(roleStatements(resource(templates.dev, roleId))).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': ['PostConfirmationLogGroup', 'Arn'] },
      },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['ProfilesTable', 'Arn'] } },
    ]);
  });

  it('has no circular dependency between resources', () => {
    for (const template of Object.values(templates)) expect(findCycle(template)).toBeUndefined();
  });

  it('requires IAM authorization on the private methods and none on /health', () => {
    expect(method(templates.dev, 'health', 'GET').Properties.AuthorizationType).toBe('NONE');
    for (const [pathPart, httpMethod] of [['hello', 'GET'], ['profile', 'GET'], ['profile', 'PUT']] as const) {
      expect(method(templates.dev, pathPart, httpMethod).Properties.AuthorizationType, `${httpMethod} /${pathPart}`).toBe('AWS_IAM');
    }
  });

  it('allows the SigV4 headers, X-Amz-Content-Sha256 included, in every CORS preflight', () => {
    for (const pathPart of ['health', 'hello', 'profile']) {
      const options = method(templates.dev, pathPart, 'OPTIONS');
      const [response] = (options.Properties.Integration as { IntegrationResponses: Array<{ ResponseParameters: Record<string, string> }> })
        .IntegrationResponses;
      const allowed = response?.ResponseParameters['method.response.header.Access-Control-Allow-Headers'] ?? '';

      expect(allowed.replace(/'/g, '').split(','), `/${pathPart}`).toEqual(expect.arrayContaining(sigV4Headers));
      expect(response?.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe("'*'");
    }
  });

  it("adds the CORS headers to the gateway's own 4xx and 5xx responses", () => {
    const responses = entriesOfType(templates.dev, 'AWS::ApiGateway::GatewayResponse').map(([, res]) => res.Properties);

    expect(responses.map((response) => response.ResponseType).sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
    for (const response of responses) {
      const parameters = response.ResponseParameters as Record<string, unknown>;
      const allowed = joined(parameters['gatewayresponse.header.Access-Control-Allow-Headers']);

      expect(response.RestApiId).toEqual({ Ref: 'ApiGatewayRestApi' });
      expect(parameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'*'");
      expect(allowed).toMatch(/^'.*'$/);
      expect(allowed.slice(1, -1).split(',')).toEqual(expect.arrayContaining(sigV4Headers));
    }
  });

  it('subscribes every function log group to the forwarder of the stage, with no permission of its own', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const template = templates[stage];
      const filters = entriesOfType(template, 'AWS::Logs::SubscriptionFilter').map(([, res]) => res);
      const functions = entriesOfType(template, 'AWS::Lambda::Function');

      expect(functions).toHaveLength(5);
      expect(filters).toHaveLength(functions.length);
      for (const [id, fn] of functions) {
        const logGroupId = id.replace(/LambdaFunction$/, 'LogGroup');
        const logGroupName = resource(template, logGroupId).Properties.LogGroupName;
        const filter = filters.find((candidate) => candidate.Properties.LogGroupName === logGroupName);

        expect(logGroupName).toBe(`/aws/lambda/${String(fn.Properties.FunctionName)}`);
        expect(filter?.Properties.DestinationArn, id).toBe(placeholderForwarderArn(stage, region));
        expect(filter?.DependsOn).toEqual([logGroupId]);
      }
      const logsPermissions = entriesOfType(template, 'AWS::Lambda::Permission').filter(([, res]) =>
        String(res.Properties.Principal).startsWith('logs.'),
      );
      expect(logsPermissions).toEqual([]);
    }
  });

  it('keeps profiles on demand, recoverable and encrypted, keyed by userId', () => {
    expect(resource(templates.dev, 'ProfilesTable').Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('gives the trigger 5 s and no USER_POOL_ID, and the private routes the pool and table', () => {
    const trigger = resource(templates.dev, 'PostConfirmationLambdaFunction');

    expect(trigger.Properties.Timeout).toBe(5);
    expect(environmentOf(trigger)).not.toHaveProperty('USER_POOL_ID');
    expect(environmentOf(trigger)).toMatchObject({ STAGE: 'dev', PROFILES_TABLE: { Ref: 'ProfilesTable' } });
    for (const id of apiFunctions) {
      const userPool = id === 'HealthLambdaFunction' ? {} : { USER_POOL_ID: { Ref: 'CognitoUserPoolUsers' } };

      expect(environmentOf(resource(templates.dev, id)), id).toEqual({
        STAGE: 'dev',
        LOG_LEVEL: expect.any(String),
        PROFILES_TABLE: { Ref: 'ProfilesTable' },
        NODE_OPTIONS: '--enable-source-maps',
        ...userPool,
      });
    }
  });

  it('outputs the ids the web client needs', () => {
    expect(Object.keys(templates.dev.Outputs)).toEqual(
      expect.arrayContaining(['UserPoolId', 'UserPoolClientId', 'IdentityPoolId', 'ProfilesTableName', 'ServiceEndpoint']),
    );
  });

  it('deletes the user pool and table with a dev stack', () => {
    const pool = resource(templates.dev, 'CognitoUserPoolUsers');
    const table = resource(templates.dev, 'ProfilesTable');

    expect([pool.DeletionPolicy, pool.UpdateReplacePolicy, table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual([
      'Delete',
      'Delete',
      'Delete',
      'Delete',
    ]);
    expect(pool.Properties.DeletionProtection).toBe('INACTIVE');
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
  });

  it('retains and protects the user pool and table of prod', () => {
    const pool = resource(templates.prod, 'CognitoUserPoolUsers');
    const table = resource(templates.prod, 'ProfilesTable');

    expect([pool.DeletionPolicy, pool.UpdateReplacePolicy, table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual([
      'Retain',
      'Retain',
      'Retain',
      'Retain',
    ]);
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
  });

  it('keeps function logs for the retention of the stage', () => {
    const retention = (template: Template) =>
      new Set(entriesOfType(template, 'AWS::Logs::LogGroup').map(([, res]) => res.Properties.RetentionInDays));

    expect(retention(templates.dev)).toEqual(new Set([14]));
    expect(retention(templates.prod)).toEqual(new Set([90]));
  });
});
