import { CloudFormationServiceException, type Stack } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import {
  assertForwarderSink,
  describeSlsArgs,
  packageAuthParams,
  paramValue,
  parseDeployArgs,
  parsePackageArgs,
  placeholderForwarderArn,
  slsArgs,
  withParam,
} from '../../tools/deploy-args.js';
import { UsageError } from '../../tools/errors.js';
import {
  ForwarderNotDeployedError,
  forwarderArnOf,
  forwarderStackName,
  isStackMissing,
} from '../../scripts/forwarder-stack.js';

const forwarderArn = 'arn:aws:lambda:eu-west-1:123456789012:function:log-forwarder-prod-forwarder';

/** A stack as DescribeStacks returns it (a factory per variant). */
function stack(overrides: Partial<Stack> = {}): Stack {
  return {
    StackName: 'log-forwarder-prod',
    StackStatus: 'UPDATE_COMPLETE',
    CreationTime: new Date('2026-11-23T09:00:00Z'),
    Outputs: [
      { OutputKey: 'ForwarderFailureQueueUrl', OutputValue: 'https://sqs.eu-west-1.amazonaws.com/123456789012/log-forwarder-prod-failed' },
      { OutputKey: 'ForwarderFunctionArn', OutputValue: forwarderArn, ExportName: 'log-forwarder-prod-arn' },
    ],
    ...overrides,
  };
}

describe('parsePackageArgs', () => {
  it('defaults to the serverless.yml stage and region', () => {
    expect(parsePackageArgs([])).toEqual({ stage: 'dev', region: 'us-east-1', params: [] });
  });

  it('reads the stage, the region and every --param as npm passes them', () => {
    const options = parsePackageArgs([
      '--stage',
      'prod',
      '--region=eu-west-1',
      '--param=logSink=https://logs.example.com/ingest?a=b',
      '--param',
      'corsOrigin=https://app.example.com',
    ]);

    expect(options).toEqual({
      stage: 'prod',
      region: 'eu-west-1',
      params: ['logSink=https://logs.example.com/ingest?a=b', 'corsOrigin=https://app.example.com'],
    });
  });

  it('refuses a --param without a value', () => {
    expect(() => parsePackageArgs(['--param=logSink'])).toThrow(UsageError);
    expect(() => parsePackageArgs(['--param=logSink='])).toThrow(/--param must be "<name>=<value>"/);
  });

  it('refuses a stage osls would refuse', () => {
    expect(() => parsePackageArgs(['--stage', 'my_stage'])).toThrow(/--stage must be letters, digits and hyphens/);
  });

  it('refuses something that is not a region', () => {
    expect(() => parsePackageArgs(['--region', 'Ireland'])).toThrow(/--region must be an AWS region/);
  });

  it('refuses options of deploy and positionals, with the usage', () => {
    expect(() => parsePackageArgs(['--auth-only'])).toThrow(/usage: npm run package/);
    expect(() => parsePackageArgs(['prod'])).toThrow(UsageError);
  });
});

describe('parseDeployArgs', () => {
  it('deploys both services unless --auth-only is given', () => {
    expect(parseDeployArgs(['--stage', 'prod']).authOnly).toBe(false);
    expect(parseDeployArgs(['--auth-only', '--stage', 'prod'])).toEqual({
      stage: 'prod',
      region: 'us-east-1',
      params: [],
      authOnly: true,
    });
  });

  it('refuses an unknown option with the usage', () => {
    expect(() => parseDeployArgs(['--stage', 'prod', '--force'])).toThrow(/usage: npm run deploy/);
  });
});

describe('osls arguments', () => {
  const options = { stage: 'prod', region: 'eu-west-1', params: ['logSink=https://u:secret@logs.example.com/'] };

  it('passes the stage, the region and every parameter to osls', () => {
    expect(slsArgs('deploy', options)).toEqual([
      'deploy',
      '--stage',
      'prod',
      '--region',
      'eu-west-1',
      '--param=logSink=https://u:secret@logs.example.com/',
    ]);
  });

  it('shows the command line without parameter values, which may hold passwords', () => {
    const shown = describeSlsArgs(slsArgs('deploy', options));

    expect(shown).toBe('sls deploy --stage prod --region eu-west-1 --param=logSink=…');
    expect(shown).not.toContain('secret');
  });

  it('packages the auth service against a placeholder forwarder in account 000000000000', () => {
    const params = packageAuthParams(options);

    expect(paramValue(params, 'forwarderArn')).toBe(
      'arn:aws:lambda:eu-west-1:000000000000:function:log-forwarder-prod-forwarder',
    );
    expect(params).toContain('logSink=https://u:secret@logs.example.com/');
  });

  it('packages the auth service against a forwarder ARN given with --param', () => {
    const params = packageAuthParams({ ...options, params: [`forwarderArn=${forwarderArn}`] });

    expect(params).toEqual([`forwarderArn=${forwarderArn}`]);
  });

  it('replaces a forwarder ARN given by hand with the one read from the stack', () => {
    const params = withParam(['forwarderArn=arn:aws:lambda:eu-west-1:1:function:x', 'corsOrigin=https://a.example'], 'forwarderArn', forwarderArn);

    expect(params).toEqual(['corsOrigin=https://a.example', `forwarderArn=${forwarderArn}`]);
  });

  it('names the placeholder after the forwarder function of the stage', () => {
    expect(placeholderForwarderArn('dev', 'us-east-1')).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:log-forwarder-dev-forwarder',
    );
  });
});

describe('the forwarder ARN from its stack', () => {
  it('reads the ForwarderFunctionArn output of stack log-forwarder-<stage>', () => {
    expect(forwarderStackName('prod')).toBe('log-forwarder-prod');
    expect(forwarderArnOf([stack()], 'prod', 'eu-west-1')).toBe(forwarderArn);
  });

  it('says to deploy the forwarder first when the stack is not there', () => {
    const act = () => forwarderArnOf([], 'prod', 'eu-west-1');

    expect(act).toThrow(ForwarderNotDeployedError);
    expect(act).toThrow(/deploy the forwarder first with `npm run deploy:forwarder -- --stage prod --region eu-west-1`/);
  });

  it('says to deploy the forwarder first when the stack has no ARN (a failed first deploy)', () => {
    const act = () => forwarderArnOf([stack({ StackStatus: 'ROLLBACK_COMPLETE', Outputs: [] })], 'prod', 'eu-west-1');

    expect(act).toThrow(/stack log-forwarder-prod is ROLLBACK_COMPLETE and has no output ForwarderFunctionArn/);
  });

  it('recognises the ValidationError CloudFormation answers for a missing stack', () => {
    const missing = new CloudFormationServiceException({
      name: 'ValidationError',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Stack with id log-forwarder-prod does not exist',
    });
    const throttled = new CloudFormationServiceException({
      name: 'Throttling',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Rate exceeded',
    });

    expect(isStackMissing(missing)).toBe(true);
    expect(isStackMissing(throttled)).toBe(false);
    expect(isStackMissing(new Error('Stack with id log-forwarder-prod does not exist'))).toBe(false);
  });
});

describe('assertForwarderSink', () => {
  it('lets dev package with its default sink', () => {
    expect(() => assertForwarderSink(parsePackageArgs([]), {})).not.toThrow();
  });

  it('lets another stage package when --param logSink or LOG_SINK names the sink', () => {
    expect(() => assertForwarderSink(parsePackageArgs(['--stage', 'prod', '--param=logSink=https://c.example/logs']), {})).not.toThrow();
    expect(() => assertForwarderSink(parsePackageArgs(['--stage', 'prod']), { LOG_SINK: 'https://c.example/logs' })).not.toThrow();
  });

  it('stops another stage without a sink with a usage error that says what to pass', () => {
    const check = () => assertForwarderSink(parsePackageArgs(['--stage', 'prod']), { LOG_SINK: '' });

    expect(check).toThrow(UsageError);
    expect(check).toThrow(/stage "prod" names no log sink.*--param="logSink=<LOG_SINK URL>".*LOG_SINK in the environment/);
  });
});
