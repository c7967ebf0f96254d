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
});
