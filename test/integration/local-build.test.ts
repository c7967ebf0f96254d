// Packages both services for the offline stack into a temporary state dir inside the repository
// (osls and serverless-esbuild for real, in an isolated build folder), reuses the build when
// nothing changed, and derives the StackModel from the templates it packaged.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, readFile, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInputHash, buildStack, StackBuildError } from '../../local/build.js';
import type { BuildOptions, BuiltStack } from '../../local/build.js';
import type { LocalIds, StackModel } from '../../local/model.js';
import { stackModel } from '../../local/template/model.js';
import { repoRoot } from '../../tools/sls.js';

const stateDir = path.join('.local', `test-build-${randomBytes(4).toString('hex')}`);
const failingStateDir = `${stateDir}-failing`;
const options: BuildOptions = {
  root: repoRoot,
  stateDir,
  stage: 'local',
  region: 'us-east-1',
  logSink: `sqlite:${stateDir}/logs.db`,
};
const ids: LocalIds = {
  userPoolId: 'us-east-1_LocalPool1',
  userPoolClientId: 'localclient0000000000000001',
  identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000001',
  apiId: 'localapi01',
};
const authFunctions = ['health', 'hello', 'getProfile', 'putProfile', 'postConfirmation'].map((key) => `auth-service-local-${key}`);
const forwarder = 'log-forwarder-local-forwarder';
const replay = 'log-forwarder-local-replay';

let first: BuiltStack;
let second: BuiltStack;
let model: StackModel;
const lines: string[] = [];

beforeAll(async () => {
  first = await buildStack({ ...options, log: (line) => lines.push(line) });
  second = await buildStack({ ...options, log: (line) => lines.push(line) });
  model = stackModel(second, { region: options.region, accountId: '123456789012', stage: 'local', stateDir }, ids, second.functionFiles);
}, 180_000);

afterAll(async () => {
  await rm(path.join(repoRoot, stateDir), { recursive: true, force: true });
  await rm(path.join(repoRoot, failingStateDir), { recursive: true, force: true });
});

describe('buildStack', () => {
  it('packages both services with the stage, region and sink it was given', () => {
    const forwarderFunction = first.templates['log-forwarder'].Resources.ForwarderLambdaFunction?.Properties;
    expect(first.rebuilt).toBe(true);
    expect(first.state['log-forwarder'].service.service).toBe('log-forwarder');
    expect(first.state['auth-service'].service.service).toBe('auth-service');
    expect(forwarderFunction).toMatchObject({ FunctionName: forwarder, Environment: { Variables: { LOG_SINK: options.logSink } } });
    expect(first.templates['auth-service'].Resources.ApiGatewayRestApi?.Type).toBe('AWS::ApiGateway::RestApi');
  });

  it("extracts every function's bundled handler module, with a source map that points at the real sources", async () => {
    expect(Object.keys(first.functionFiles).sort()).toEqual([...authFunctions, forwarder, replay].sort());
    for (const [name, file] of Object.entries(first.functionFiles)) {
      expect(file.startsWith(path.join(first.functionsDir, name) + path.sep)).toBe(true);
      expect(existsSync(file)).toBe(true);
      const map = JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] };
      const missing = map.sources.filter((source) => !existsSync(path.resolve(path.dirname(file), source)));
      expect(missing).toEqual([]);
    }
    const health = (await import(first.functionFiles['auth-service-local-health'] ?? '')) as { handler: unknown };
    expect(typeof health.handler).toBe('function');
  });

  it('reuses the last build when the inputs are unchanged', () => {
    expect(second.rebuilt).toBe(false);
    expect(second.hash).toBe(first.hash);
    expect(second.functionFiles).toEqual(first.functionFiles);
    expect(second.templates).toEqual(first.templates);
    expect(lines.some((line) => line.includes('reusing the last build'))).toBe(true);
  });

  it('hashes the options with the inputs', async () => {
    const again = await buildInputHash(options);
    const otherSink = await buildInputHash({ ...options, logSink: 'sqlite:elsewhere.db' });
    const otherStage = await buildInputHash({ ...options, stage: 'other' });
    expect(again).toBe(first.hash);
    expect(new Set([again, otherSink, otherStage]).size).toBe(3);
  });

  it('fails with the tail of the osls output when packaging fails', async () => {
    const failing = buildStack({ ...options, stateDir: failingStateDir, stage: 'bad_stage!' });
    await expect(failing).rejects.toBeInstanceOf(StackBuildError);
    await expect(failing).rejects.toThrow(/sls package failed for log-forwarder \(exit code 1\):\n[\s\S]*Invalid stage name/);
  }, 60_000);

  it('fails, and exits, when the bundler cannot build a source file', async () => {
    // A repository whose forwarder handler does not parse: esbuild fails, and osls must exit
    // with its error instead of being held open by a bundler context kept for rebuilds.
    const root = path.join(repoRoot, `${stateDir}-broken-root`);
    await mkdir(path.join(root, 'forwarder'), { recursive: true });
    for (const item of ['node_modules', 'package.json', 'package-lock.json', 'tsconfig.json', 'resources', 'shared', 'auth-service', 'forwarder/serverless.yml']) {
      await symlink(path.join(repoRoot, item), path.join(root, item));
    }
    await cp(path.join(repoRoot, 'forwarder', 'src'), path.join(root, 'forwarder', 'src'), { recursive: true });
    await appendFile(path.join(root, 'forwarder', 'src', 'handler.ts'), '\nexport const broken = ;\n');
    try {
      const failing = buildStack({ ...options, root, stateDir: '.local/build-state' });
      await expect(failing).rejects.toThrow(/sls package failed for log-forwarder \(exit code 1\):\n[\s\S]*Unexpected ";"/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a state dir outside the repository', async () => {
    await expect(buildStack({ ...options, stateDir: '/tmp/offline-stack' })).rejects.toThrow(/the state dir must be inside/);
  });
});

describe('the StackModel of the packaged templates', () => {
  it('runs the five auth functions, the forwarder and the replay function', () => {
    expect(model.functions.map(({ name }) => name)).toEqual([forwarder, replay, ...authFunctions]);
    expect(model.functions.every(({ handlerFile, name }) => handlerFile === second.functionFiles[name])).toBe(true);
  });

  it('serves the four routes, AWS_IAM on the private ones, with CORS on each path and the gateway responses', () => {
    expect(model.api.routes.map(({ method, path: route, authorization }) => `${method} ${route} ${authorization}`)).toEqual([
      'GET /health NONE',
      'GET /hello AWS_IAM',
      'GET /profile AWS_IAM',
      'PUT /profile AWS_IAM',
    ]);
    expect(Object.keys(model.api.cors).sort()).toEqual(['/health', '/hello', '/profile']);
    for (const cors of Object.values(model.api.cors)) expect(cors.allowHeaders.split(',')).toContain('X-Amz-Content-Sha256');
    expect(model.api.gatewayResponses.map(({ type }) => type)).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
  });

  it("grants the identity pool's authenticated role the three private routes of the local API and stage", () => {
    expect(model.identityPool.authenticatedPolicy.flatMap(({ Resource }) => Resource)).toEqual([
      'arn:aws:execute-api:us-east-1:123456789012:localapi01/local/GET/hello',
      'arn:aws:execute-api:us-east-1:123456789012:localapi01/local/GET/profile',
      'arn:aws:execute-api:us-east-1:123456789012:localapi01/local/PUT/profile',
    ]);
  });

  it('creates one table and subscribes the five auth log groups to the forwarder', () => {
    expect(model.tables.map(({ name }) => name)).toEqual(['auth-service-local-profiles']);
    expect(model.subscriptions.map(({ logGroup, functionName }) => `${logGroup} → ${functionName}`)).toEqual(
      authFunctions.map((name) => `/aws/lambda/${name} → ${forwarder}`),
    );
  });
});
