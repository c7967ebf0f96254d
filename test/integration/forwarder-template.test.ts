// Packages the forwarder with osls, as `npm run package` does, with and without the stage params
// that grant access to a sink secret and to Amazon OpenSearch, and checks the CloudFormation it
// would deploy, with its conditions evaluated as CloudFormation would. This is the only test file
// that packages forwarder/ (two packagings of one folder at once would share .esbuild/).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createResolver, type Resolver } from '../../local/template/intrinsics.js';
import type { CfnTemplate } from '../../local/template/template.js';
import { repoRoot } from '../../tools/sls.js';

const accountId = '123456789012';
const serviceDir = path.join(repoRoot, 'forwarder');

async function packaged(stage: string, params: Record<string, string>): Promise<Resolver> {
  const sls = path.join(repoRoot, 'node_modules', '.bin', 'sls');
  const args = ['package', '--stage', stage, '--region', 'us-east-1', ...Object.entries(params).map(([k, v]) => `--param=${k}=${v}`)];
  try {
    await promisify(execFile)(sls, args, { cwd: serviceDir, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LOG_SINK: '' } });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`sls package --stage ${stage} failed:\n${stdout}${stderr}`, { cause: error });
  }
  const template = JSON.parse(await readFile(path.join(serviceDir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8')) as CfnTemplate;
  return createResolver({
    template,
    pseudo: { region: 'us-east-1', accountId, stackName: `log-forwarder-${stage}` },
    // Physical ids do not matter here: a resource's logical id stands for them.
    resources: { ref: (id) => id, getAtt: (id, _resource, attribute) => `${id}.${attribute}` },
  });
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

/** Every IAM statement of the resources that exist, resolved. */
function statements(resolver: Resolver): Statement[] {
  const found: Statement[] = [];
  for (const [id, resource] of Object.entries(resolver.template.Resources)) {
    if (!resolver.exists(resource)) continue;
    if (resource.Type === 'AWS::IAM::Policy') {
      const document = resolver.resolve(resource.Properties?.PolicyDocument, id) as { Statement: Statement[] };
      found.push(...document.Statement);
    }
    if (resource.Type === 'AWS::IAM::Role') {
      const policies = resolver.resolve(resource.Properties?.Policies ?? [], id) as Array<{ PolicyDocument: { Statement: Statement[] } }>;
      for (const policy of policies) found.push(...policy.PolicyDocument.Statement);
    }
  }
  return found;
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** The statements of one role: its inline policies and the AWS::IAM::Policy resources attached to it. */
function roleStatements(resolver: Resolver, roleId: string): Statement[] {
  const found: Statement[] = [];
  for (const [id, resource] of Object.entries(resolver.template.Resources)) {
    if (!resolver.exists(resource)) continue;
    if (id === roleId) {
      const policies = resolver.resolve(resource.Properties?.Policies ?? [], id) as Array<{ PolicyDocument: { Statement: Statement[] } }>;
      for (const policy of policies) found.push(...policy.PolicyDocument.Statement);
    }
    if (resource.Type === 'AWS::IAM::Policy' && (resolver.resolve(resource.Properties?.Roles, id) as string[]).includes(roleId)) {
      found.push(...(resolver.resolve(resource.Properties?.PolicyDocument, id) as { Statement: Statement[] }).Statement);
    }
  }
  return found;
}

/** Each SQS action a role has, with the queues it may use it on, sorted. */
function sqsGrants(statements: readonly Statement[]): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const statement of statements) {
    for (const action of list(statement.Action).filter((a) => a.startsWith('sqs:'))) {
      grants[action] = [...(grants[action] ?? []), ...list(statement.Resource)].sort();
    }
  }
  return grants;
}

describe('the packaged forwarder template', () => {
  let dev: Resolver;
  let prodSsm: Resolver;
  let prodSecretsManager: Resolver;

  beforeAll(async () => {
    dev = await packaged('dev', {});
    prodSsm = await packaged('prod', {
      logSink: 'opensearch+https://search-logs.us-east-1.es.amazonaws.com?aws=es',
      logSinkSecretId: 'ssm:/log-forwarder/prod/sink',
      openSearchArn: `arn:aws:es:us-east-1:${accountId}:domain/logs`,
    });
    prodSecretsManager = await packaged('prod', {
      logSink: 'opensearch+https://abc.us-east-1.aoss.amazonaws.com?aws=aoss',
      logSinkSecretId: 'secretsmanager:log-forwarder/prod',
      openSearchArn: `arn:aws:aoss:us-east-1:${accountId}:collection/abc123`,
    });
  }, 120_000);

  it('grants no secret or OpenSearch access when the stage names neither', () => {
    const actions = statements(dev).flatMap((s) => list(s.Action));

    expect(actions.filter((a) => /^(ssm|secretsmanager|es|aoss):/.test(a))).toEqual([]);
    expect(dev.resolve(dev.template.Resources.ForwarderLambdaFunction?.Properties?.Environment, 'env')).toMatchObject({ Variables: { LOG_SINK_SECRET_ID: '' } });
  });

  it('lets the role read exactly the SSM parameter the function is told to read', () => {
    const env = prodSsm.resolve(prodSsm.template.Resources.ForwarderLambdaFunction?.Properties?.Environment, 'env') as { Variables: Record<string, string> };

    expect(env.Variables.LOG_SINK_SECRET_ID).toBe('ssm:/log-forwarder/prod/sink');
    expect(statements(prodSsm)).toContainEqual({
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: `arn:aws:ssm:us-east-1:${accountId}:parameter/log-forwarder/prod/sink`,
    });
  });

  it('lets the role read exactly the Secrets Manager secret, whatever suffix AWS gave it', () => {
    expect(statements(prodSecretsManager)).toContainEqual({
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: `arn:aws:secretsmanager:us-east-1:${accountId}:secret:log-forwarder/prod-??????`,
    });
  });

  it('lets the role post bulk requests to the OpenSearch domain or collection, nothing else there', () => {
    expect(statements(prodSsm)).toContainEqual({ Effect: 'Allow', Action: 'es:ESHttpPost', Resource: `arn:aws:es:us-east-1:${accountId}:domain/logs/_bulk` });
    expect(statements(prodSecretsManager)).toContainEqual({
      Effect: 'Allow',
      Action: 'aoss:APIAccessAll',
      Resource: `arn:aws:aoss:us-east-1:${accountId}:collection/abc123`,
    });
  });

  it('has no wildcard action and no Resource "*" in any statement', () => {
    for (const resolver of [dev, prodSsm, prodSecretsManager]) {
      for (const statement of statements(resolver)) {
        for (const action of list(statement.Action)) expect(action).not.toMatch(/(^\*$|:\*$)/);
        for (const resource of list(statement.Resource)) expect(resource).not.toBe('*');
      }
    }
  });

  it('lets CloudWatch Logs of this account only invoke the forwarder, and exports its ARN by stage', () => {
    const permission = prodSsm.resolve(prodSsm.template.Resources.ForwarderLogsInvokePermission?.Properties, 'permission');

    expect(permission).toMatchObject({
      Principal: 'logs.amazonaws.com',
      SourceAccount: accountId,
      SourceArn: `arn:aws:logs:us-east-1:${accountId}:log-group:*`,
    });
    expect(prodSsm.resolve(prodSsm.template.Outputs?.ForwarderFunctionArn?.Export, 'export')).toEqual({ Name: 'log-forwarder-prod-arn' });
  });

  it('has the failure queue, its dead-letter queue after five receives, and the on-failure queue, each kept 14 days', () => {
    const queue = (id: string) => dev.resolve(dev.template.Resources[id]?.Properties, id) as Record<string, unknown>;

    expect(queue('ForwarderParkedQueue')).toMatchObject({
      QueueName: 'log-forwarder-dev-parked',
      MessageRetentionPeriod: 1209600,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: 'ForwarderDeadLetterQueue.Arn', maxReceiveCount: 5 },
    });
    expect(queue('ForwarderDeadLetterQueue')).toMatchObject({ QueueName: 'log-forwarder-dev-dead-letters', RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: ['ForwarderParkedQueue.Arn'] } });
    expect(queue('ForwarderFailureQueue')).toMatchObject({ QueueName: 'log-forwarder-dev-failed' });
    const env = dev.resolve(dev.template.Resources.ForwarderLambdaFunction?.Properties?.Environment, 'env') as { Variables: Record<string, string> };
    expect(env.Variables).toMatchObject({ FAILURE_QUEUE_URL: 'ForwarderParkedQueue', DEAD_LETTER_QUEUE_URL: 'ForwarderDeadLetterQueue', LOG_RETRY_WINDOW_MS: '20000', FAILURE_QUEUE_MESSAGE_BYTES: '1048576' });
  });

  it('runs the replay function from the failure queue with ReportBatchItemFailures, in its own role', () => {
    const mappings = Object.entries(dev.template.Resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::EventSourceMapping');

    expect(mappings).toHaveLength(1);
    expect(dev.resolve(mappings[0]![1].Properties, 'mapping')).toEqual({
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      EventSourceArn: 'ForwarderParkedQueue.Arn',
      FunctionName: 'ReplayLambdaFunction.Arn',
      Enabled: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(dev.resolve(dev.template.Resources.ReplayLambdaFunction?.Properties, 'replay')).toMatchObject({ Handler: 'src/replay.handler', Runtime: 'nodejs24.x', Role: 'ReplayRole.Arn', Timeout: 60 });
    expect(dev.resolve(dev.template.Resources.ForwarderLambdaFunction?.Properties?.Role, 'role')).toBe('ForwarderRole.Arn');
    expect(dev.template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('lets the forwarder only send to the three queues, and the replay receive and delete on the failure queue only', () => {
    const parked = 'ForwarderParkedQueue.Arn';
    const dead = 'ForwarderDeadLetterQueue.Arn';

    expect(sqsGrants(roleStatements(dev, 'ForwarderRole'))).toEqual({ 'sqs:SendMessage': [dead, 'ForwarderFailureQueue.Arn', parked].sort() });
    expect(sqsGrants(roleStatements(dev, 'ReplayRole'))).toEqual({
      'sqs:ReceiveMessage': [parked],
      'sqs:DeleteMessage': [parked],
      'sqs:ChangeMessageVisibility': [parked],
      'sqs:GetQueueAttributes': [parked],
      'sqs:SendMessage': [dead, parked].sort(),
    });
    for (const [role, name] of [['ForwarderRole', 'forwarder'], ['ReplayRole', 'replay']] as const) {
      const logs = roleStatements(dev, role).filter((statement) => list(statement.Action).some((action) => action.startsWith('logs:')));
      expect(logs).toEqual([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:us-east-1:${accountId}:log-group:/aws/lambda/log-forwarder-dev-${name}:*` }]);
    }
    // The sink's secret and OpenSearch: both functions ship to the same sink.
    for (const role of ['ForwarderRole', 'ReplayRole']) {
      expect(roleStatements(prodSsm, role).map((statement) => statement.Action)).toEqual(expect.arrayContaining(['ssm:GetParameter', 'es:ESHttpPost']));
    }
  });

  it('alarms on any dead letter, an old parked record and any failed event, to the SNS topic when one is given', async () => {
    const alarm = (resolver: Resolver, id: string) => resolver.resolve(resolver.template.Resources[id]?.Properties, id) as Record<string, unknown>;
    const withTopic = await packaged('dev', { alarmTopicArn: `arn:aws:sns:us-east-1:${accountId}:ops`, parkedAgeAlarmSeconds: '900' });

    expect(alarm(dev, 'DeadLetterAlarm')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: 'ForwarderDeadLetterQueue.QueueName' }], Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm(dev, 'ParkedAgeAlarm')).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: 'ForwarderParkedQueue.QueueName' }], Threshold: 3600 });
    expect(alarm(dev, 'OnFailureAlarm')).toMatchObject({ Dimensions: [{ Name: 'QueueName', Value: 'ForwarderFailureQueue.QueueName' }], Threshold: 0 });
    expect(alarm(dev, 'DeadLetterAlarm').AlarmActions).toBeUndefined();
    for (const id of ['DeadLetterAlarm', 'ParkedAgeAlarm', 'OnFailureAlarm']) {
      expect(alarm(withTopic, id)).toMatchObject({ AlarmActions: [`arn:aws:sns:us-east-1:${accountId}:ops`], OKActions: [`arn:aws:sns:us-east-1:${accountId}:ops`] });
    }
    expect(Number(alarm(withTopic, 'ParkedAgeAlarm').Threshold)).toBe(900);
  }, 120_000);
});
