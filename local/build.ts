// Packages both services for the offline stack with the project's osls and serverless-esbuild,
// as `npm run package` does, but in a build folder of the state dir: the services' own
// .serverless/ and .esbuild/ folders, which tests and `npm run package` use, are never touched.
// A hash of every input decides whether the last build can be reused; each function's bundled
// handler module (and its source map) is then extracted from the zips for the local runtime.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, readlink, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readZipEntry, zipEntryNames } from '../tools/zip.js';
import { placeholderForwarderArn } from '../tools/deploy-args.js';
import { runSls } from '../tools/sls.js';
import { AppError } from '../shared/errors.js';
import { asTemplate } from './template/template.js';
import type { CfnTemplate, ServiceName } from './template/template.js';

export interface BuildOptions {
  /** The repository root (holds package.json, node_modules and both service folders). */
  root: string;
  /** The offline stack's state dir; must be inside `root` (osls resolves its plugins from there). */
  stateDir: string;
  stage: string;
  region: string;
  /** The forwarder's LOG_SINK, passed as `--param=logSink=…`. */
  logSink: string;
  /** More stage params of the forwarder (`retryWindowMs`, …), passed as `--param=name=value`. */
  forwarderParams?: Readonly<Record<string, string>>;
  /** Package even when the inputs have not changed since the last build. */
  force?: boolean;
  log?: (line: string) => void;
}

/** The parts of osls's `.serverless/serverless-state.json` the offline stack reads. */
export interface ServerlessState {
  service: {
    service: string;
    functions: Record<string, { name: string; handler: string; package?: { artifact?: string } }>;
    custom?: { esbuild?: { outputFileExtension?: string; sourcemap?: unknown } };
  };
  package?: { artifact?: string };
}

export interface BuiltStack {
  /** The packaged `cloudformation-template-update-stack.json` of each service. */
  templates: Record<ServiceName, CfnTemplate>;
  state: Record<ServiceName, ServerlessState>;
  /** `<stateDir>/build/functions`: one folder per deployed function name. */
  functionsDir: string;
  /** Deployed function name → absolute path of its extracted handler module. */
  functionFiles: Record<string, string>;
  /** The hash of every input of the build. */
  hash: string;
  /** False when the last build had the same inputs and was reused. */
  rebuilt: boolean;
}

/** Packaging failed; the message ends with the tail of osls's output. */
export class StackBuildError extends AppError {
  override name = 'StackBuildError';
}

const services = [
  { name: 'log-forwarder', folder: 'forwarder' },
  { name: 'auth-service', folder: 'auth-service' },
] as const satisfies ReadonlyArray<{ name: ServiceName; folder: string }>;

// Bump when the build's outputs change shape, so an older cache is not reused.
const buildFormat = 2;
const inputFiles = ['forwarder/serverless.yml', 'auth-service/serverless.yml', 'tsconfig.json', 'package-lock.json'];
const inputDirs = ['resources', 'shared', 'forwarder/src', 'auth-service/src'];
// The service folders' contents the packaging reads, mirrored by symlinks: `${file(../resources/…)}`
// and `tsconfig: ../tsconfig.json` are relative to the service folder.
const mirrored = ['resources', 'shared', 'tsconfig.json', ...services.flatMap(({ folder }) => [`${folder}/serverless.yml`, `${folder}/src`])];
// Variables osls would read instead of the parameters: the build must depend on its inputs only.
const ignoredEnvironment = new Set(['LOG_SINK', 'LOG_LEVEL', 'LOG_SINK_SECRET_ID']);

async function filesUnder(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const relative = path.posix.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(root, relative) : Promise.resolve(entry.isFile() ? [relative] : []);
    }),
  );
  return nested.flat();
}

/** A hash of the options and of the name and content of every file the packaging reads. */
export async function buildInputHash(options: Pick<BuildOptions, 'root' | 'stage' | 'region' | 'logSink' | 'forwarderParams'>): Promise<string> {
  const files = [...inputFiles, ...(await Promise.all(inputDirs.map((dir) => filesUnder(options.root, dir)))).flat()].sort();
  const hash = createHash('sha256');
  const { stage, region, logSink, forwarderParams = {} } = options;
  hash.update(JSON.stringify({ buildFormat, stage, region, logSink, ...(Object.keys(forwarderParams).length > 0 ? { forwarderParams } : {}) }));
  for (const file of files) {
    hash.update(`\0${file}\0`);
    hash.update(await readFile(path.join(options.root, file)));
  }
  return hash.digest('hex');
}

async function link(target: string, at: string): Promise<void> {
  if (await readlink(at).catch(() => undefined) === target) return;
  await unlink(at).catch(() => undefined);
  await mkdir(path.dirname(at), { recursive: true });
  await symlink(target, at);
}

/** Runs `sls <args>` in `cwd` with osls's own variables left out; a failure names the service and ends with osls's output. */
async function packageService(cwd: string, args: readonly string[], service: string): Promise<void> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ignoredEnvironment.has(name)));
  try {
    await runSls({ cwd, args, env, label: service, output: 'keep' });
  } catch (cause) {
    throw new StackBuildError((cause as Error).message, { cause });
  }
}

function slsArguments(options: BuildOptions, service: ServiceName): string[] {
  const params = service === 'log-forwarder'
    ? [`logSink=${options.logSink}`, ...Object.entries(options.forwarderParams ?? {}).map(([name, value]) => `${name}=${value}`)]
    : [`forwarderArn=${placeholderForwarderArn(options.stage, options.region)}`];
  // --config: osls takes a symlinked serverless.yml only when it is named explicitly.
  return ['package', '--config', 'serverless.yml', '--stage', options.stage, '--region', options.region, ...params.map((param) => `--param=${param}`)];
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

/**
 * Writes each function's bundle from its zip: the handler module and every chunk it may import
 * (the forwarder is split so a sink's code loads only when used), with their source maps; returns
 * name → handler module path.
 */
async function extractFunctions(serviceDir: string, state: ServerlessState, functionsDir: string): Promise<Record<string, string>> {
  const esbuild = state.service.custom?.esbuild;
  const extension = esbuild?.outputFileExtension ?? '.js';
  const withMap = esbuild?.sourcemap === true || ['linked', 'external', 'both'].includes(String(esbuild?.sourcemap));
  const files: Record<string, string> = {};
  for (const fn of Object.values(state.service.functions)) {
    const artifact = fn.package?.artifact || state.package?.artifact;
    if (!artifact) throw new StackBuildError(`${state.service.service}: no package artifact for function ${fn.name}`);
    const zip = path.join(serviceDir, '.serverless', path.basename(artifact));
    const entry = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}${extension}`;
    const modules = zipEntryNames(zip).filter((name) => name.endsWith(extension));
    if (!modules.includes(entry)) throw new StackBuildError(`${state.service.service}: ${entry} is not in ${zip}`);
    for (const name of modules) {
      const file = path.join(functionsDir, fn.name, ...name.split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, readZipEntry(zip, name));
      if (!withMap) continue;
      // The map's sources are relative to where esbuild wrote the bundle; keep them pointing at
      // the real files from the module's new place, so stack traces name the .ts sources.
      const map = JSON.parse(readZipEntry(zip, `${name}.map`).toString('utf8')) as { sources?: string[] };
      const builtDir = path.join(serviceDir, '.esbuild', '.build', path.dirname(name));
      map.sources = map.sources?.map((source) => path.relative(path.dirname(file), path.resolve(builtDir, source)));
      await writeFile(`${file}.map`, JSON.stringify(map));
    }
    files[fn.name] = path.join(functionsDir, fn.name, ...entry.split('/'));
  }
  return files;
}

async function readOutputs(srcTree: string) {
  const templates = {} as BuiltStack['templates'];
  const state = {} as BuiltStack['state'];
  for (const { name, folder } of services) {
    const dir = path.join(srcTree, folder, '.serverless');
    templates[name] = asTemplate(await readJson(path.join(dir, 'cloudformation-template-update-stack.json')), `${folder}'s packaged template`);
    state[name] = (await readJson(path.join(dir, 'serverless-state.json'))) as ServerlessState;
  }
  return { templates, state };
}

/** Packages both services into `<stateDir>/build/`, or reuses the last build when nothing changed. */
export async function buildStack(options: BuildOptions): Promise<BuiltStack> {
  const root = path.resolve(options.root);
  const log = options.log ?? (() => undefined);
  const buildDir = path.join(path.resolve(root, options.stateDir), 'build');
  if (path.relative(root, buildDir).startsWith('..')) {
    throw new StackBuildError(`the state dir must be inside ${root}: osls resolves its plugins from there, got ${buildDir}`);
  }
  const srcTree = path.join(buildDir, 'src-tree');
  const functionsDir = path.join(buildDir, 'functions');
  const hashFile = path.join(buildDir, 'hash.json');
  const hash = await buildInputHash({ ...options, root });

  const last = (await readJson(hashFile).catch(() => undefined)) as { hash?: string; functionFiles?: Record<string, string> } | undefined;
  if (!options.force && last?.hash === hash && last.functionFiles && Object.values(last.functionFiles).every((file) => existsSync(file))) {
    const outputs = await readOutputs(srcTree).catch(() => undefined);
    if (outputs) {
      log(`build: inputs unchanged (${hash.slice(0, 12)}), reusing the last build`);
      return { ...outputs, functionsDir, functionFiles: last.functionFiles, hash, rebuilt: false };
    }
  }

  await rm(hashFile, { force: true });
  await Promise.all(mirrored.map((item) => link(path.join(root, item), path.join(srcTree, item))));
  log(`build: packaging ${services.map(({ name }) => name).join(' and ')} for stage ${options.stage} (${options.region})`);
  const started = Date.now();
  const results = await Promise.allSettled(
    services.map(({ name, folder }) => packageService(path.join(srcTree, folder), slsArguments(options, name), name)),
  );
  const failed = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new StackBuildError(failed.map((error) => error.message).join('\n\n'), { cause: failed });
  log(`build: packaged in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const outputs = await readOutputs(srcTree);
  await rm(functionsDir, { recursive: true, force: true });
  const functionFiles: Record<string, string> = {};
  for (const { name, folder } of services) {
    Object.assign(functionFiles, await extractFunctions(path.join(srcTree, folder), outputs.state[name], functionsDir));
  }
  await writeFile(hashFile, `${JSON.stringify({ hash, functionFiles }, null, 2)}\n`);
  return { ...outputs, functionsDir, functionFiles, hash, rebuilt: true };
}
