// The auth service's functions: bundle size and module init time of each packaged function.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importMs, kibOf, modulesLoadedBy } from './init.js';
import { readZipEntry, zipEntryNames } from '../tools/zip.js';

interface StateFunction {
  handler: string;
  name: string;
  package?: { artifact?: string };
}

export interface FunctionFigures {
  key: string;
  zipKiB: number;
  /** What importing the handler loads: its module and the chunks it imports statically. */
  bundleKiB: number;
  /** How many modules that is. */
  initModules: number;
  /** The zip's other chunks, loaded only when a request needs them (or never). */
  lazyKiB: number;
  initMs: number;
}

// What the functions read at cold start; no request is sent while importing.
const coldStartEnv = {
  STAGE: 'bench',
  AWS_REGION: 'us-east-1',
  PROFILES_TABLE: 'auth-service-bench-profiles',
  USER_POOL_ID: 'us-east-1_Bench0001',
  LOG_LEVEL: 'silent',
};

/**
 * Measures every function packaged under auth-service/.serverless (npm run package must have
 * run): the zip, what importing the bundled handler loads (the module and its static chunks) and
 * what it leaves for later, and the median time to import it in a fresh process.
 */
export function measureAuthFunctions(root: string, work: string): FunctionFigures[] {
  const serviceDir = path.join(root, 'auth-service');
  const state = JSON.parse(readFileSync(path.join(serviceDir, '.serverless', 'serverless-state.json'), 'utf8')) as {
    service: { functions: Record<string, StateFunction> };
  };
  const dir = path.join(work, 'auth');
  return Object.entries(state.service.functions).map(([key, fn]) => {
    const zip = path.join(serviceDir, fn.package?.artifact ?? `.serverless/${key}.zip`);
    const entry = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.mjs`;
    // Every module of the zip, so the handler finds its chunks where Lambda would.
    const modules = zipEntryNames(zip)
      .filter((name) => name.endsWith('.mjs'))
      .map((name) => {
        const file = path.join(dir, key, ...name.split('/'));
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, readZipEntry(zip, name));
        return file;
      });
    const file = path.join(dir, key, ...entry.split('/'));
    const env = { ...coldStartEnv, AWS_LAMBDA_FUNCTION_NAME: fn.name };
    const loaded = new Set(modulesLoadedBy(file, env));
    return {
      key,
      zipKiB: statSync(zip).size / 1024,
      bundleKiB: kibOf(loaded),
      initModules: loaded.size,
      lazyKiB: kibOf(modules.filter((m) => !loaded.has(m))),
      initMs: importMs(file, env),
    };
  });
}

/** The report's section for {@link measureAuthFunctions}. */
export function authSection(figures: readonly FunctionFigures[], baselineMs: number): string {
  const rows = figures.map(
    (f) =>
      `| ${f.key} | ${f.zipKiB.toFixed(1)} | ${f.bundleKiB.toFixed(1)} (${f.initModules}) | ${f.lazyKiB.toFixed(1)} | ${f.initMs.toFixed(1)} | ${(f.initMs / baselineMs).toFixed(1)} × |`,
  );
  return `## Auth service functions

Each function is packaged on its own (\`package.individually\`) with only the code it imports; the
DynamoDB and Cognito clients are bundled, not taken from the runtime. The bundles are split: the
Cognito client, which only create-on-read needs, is a chunk that a request imports the first time
it looks a user up, and the SDK's optional imports (event streams, the browser user-agent parser)
are chunks these functions never load. The SDK clients' default credential chain is replaced, in
these bundles only, by its first link, the environment variables Lambda sets
(auth-service/src/clients/lambda-credentials.ts says why that is safe).

"Init loads" is every module importing the handler loads (the handler module and the chunks it
imports statically; how many in brackets); "later" is the zip's other chunks. Init is the median
of 7 imports of the bundled handler in a fresh process, with the function's environment set; the
baseline is importing an empty module the same way (${baselineMs.toFixed(2)} ms).

| function | zip KiB | init loads KiB (modules) | later KiB | module init ms | init ÷ baseline |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
}
