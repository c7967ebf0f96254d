// Pure parts of `npm run package` and `npm run deploy`: the command line, the osls arguments
// built from it, and the forwarder ARN the auth service subscribes its log groups to.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** The serverless.yml defaults, used when --stage or --region is not given. */
export const defaultStage = 'dev';
export const defaultRegion = 'us-east-1';

/** The osls parameter that carries the forwarder ARN into auth-service/serverless.yml. */
export const forwarderArnParam = 'forwarderArn';

export interface StageOptions {
  stage: string;
  region: string;
  /** `name=value` pairs, passed to osls as `--param=name=value`. */
  params: string[];
}

export interface DeployOptions extends StageOptions {
  /** Deploy the auth service only (the forwarder of the stage must already be deployed). */
  authOnly: boolean;
}

export const packageUsage =
  'usage: npm run package -- [--stage <stage>] [--region <region>] [--param="<name>=<value>" …]';
export const deployUsage =
  'usage: npm run deploy -- [--stage <stage>] [--region <region>] [--param="<name>=<value>" …]\n' +
  '       npm run deploy:auth -- [--stage <stage>] [--region <region>] [--param="<name>=<value>" …]';

// The same rule osls applies to stage names; a stage is also part of stack and table names.
const stagePattern = /^[a-zA-Z0-9-]+$/;
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const paramPattern = /^[^=]+=.+$/;

function parse(argv: readonly string[], usage: string, deploy: boolean) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string', default: defaultStage },
        region: { type: 'string', default: defaultRegion },
        param: { type: 'string', multiple: true, default: [] },
        ...(deploy ? { 'auth-only': { type: 'boolean', default: false } } : {}),
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (cause) {
    throw new UsageError(`${(cause as Error).message}\n${usage}`, { cause });
  }
}

function stageOptions(values: ReturnType<typeof parse>, usage: string): StageOptions {
  const stage = String(values.stage);
  const region = String(values.region);
  const params = values.param as string[];
  if (!stagePattern.test(stage)) {
    throw new UsageError(`--stage must be letters, digits and hyphens, got "${stage}"\n${usage}`);
  }
  if (!regionPattern.test(region)) {
    throw new UsageError(`--region must be an AWS region such as eu-west-1, got "${region}"\n${usage}`);
  }
  const malformed = params.find((param) => !paramPattern.test(param));
  if (malformed !== undefined) {
    throw new UsageError(`--param must be "<name>=<value>", got "${malformed}"\n${usage}`);
  }
  return { stage, region, params };
}

/** Parses the arguments after `npm run package --`; throws a UsageError saying what is wrong. */
export function parsePackageArgs(argv: readonly string[]): StageOptions {
  return stageOptions(parse(argv, packageUsage, false), packageUsage);
}

/** Parses the arguments after `npm run deploy --`; throws a UsageError saying what is wrong. */
export function parseDeployArgs(argv: readonly string[]): DeployOptions {
  const values = parse(argv, deployUsage, true);
  return { ...stageOptions(values, deployUsage), authOnly: values['auth-only'] === true };
}

/** The osls command line for one service of the stage. */
/**
 * Only dev has a default sink in forwarder/serverless.yml. Any other stage needs one, or osls
 * stops with its raw `Cannot resolve variable at "provider.environment.LOG_SINK"`: say what to
 * pass before osls starts.
 */
export function assertForwarderSink(options: StageOptions, env: Readonly<Record<string, string | undefined>>): void {
  if (options.stage === defaultStage || paramValue(options.params, 'logSink') || env.LOG_SINK) return;
  throw new UsageError(
    `stage "${options.stage}" names no log sink for the forwarder: pass --param="logSink=<LOG_SINK URL>" ` +
      `(e.g. --param="logSink=https://collector.example.com/logs") or set LOG_SINK in the environment; only dev has a default`,
  );
}

export function slsArgs(command: 'package' | 'deploy', options: StageOptions, params = options.params): string[] {
  return [
    command,
    '--stage',
    options.stage,
    '--region',
    options.region,
    ...params.map((param) => `--param=${param}`),
  ];
}

/** The value of parameter `name` in `params` (the last one wins, as in osls), if given. */
export function paramValue(params: readonly string[], name: string): string | undefined {
  const prefix = `${name}=`;
  return params.findLast((param) => param.startsWith(prefix))?.slice(prefix.length);
}

/** `params` with `name` set to `value`, replacing any value given for it. */
export function withParam(params: readonly string[], name: string, value: string): string[] {
  return [...params.filter((param) => !param.startsWith(`${name}=`)), `${name}=${value}`];
}

/**
 * The forwarder ARN an offline package subscribes to: its account, 000000000000, exists
 * nowhere, so a template packaged offline fails rather than deploys if someone tries.
 */
export function placeholderForwarderArn(stage: string, region: string): string {
  return `arn:aws:lambda:${region}:000000000000:function:log-forwarder-${stage}-forwarder`;
}

/** The auth service's parameters for packaging: a forwarder ARN given with --param, or the placeholder. */
export function packageAuthParams(options: StageOptions): string[] {
  if (paramValue(options.params, forwarderArnParam) !== undefined) return [...options.params];
  return withParam(options.params, forwarderArnParam, placeholderForwarderArn(options.stage, options.region));
}

/** The command line as shown before it runs: parameter values may hold secrets (a sink's password). */
export function describeSlsArgs(args: readonly string[]): string {
  return ['sls', ...args.map((arg) => arg.replace(/^(--param=[^=]+=).*$/s, '$1…'))].join(' ');
}
