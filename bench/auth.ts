// The auth service's functions: bundle size and module init time of each packaged function.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importMs } from './init.js';
import { readZipEntry } from '../tools/zip.js';

interface StateFunction {
  handler: string;
  name: string;
  package?: { artifact?: string };
}

export interface FunctionFigures {
  key: string;
  zipKiB: number;
  bundleKiB: number;
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
 * run): the zip, the bundled handler module, and the median time to import it in a fresh process.
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
    const file = path.join(dir, key, entry);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, readZipEntry(zip, entry));
    return {
      key,
      zipKiB: statSync(zip).size / 1024,
      bundleKiB: statSync(file).size / 1024,
      initMs: importMs(file, { ...coldStartEnv, AWS_LAMBDA_FUNCTION_NAME: fn.name }),
    };
  });
}

/** The report's section for {@link measureAuthFunctions}. */
export function authSection(figures: readonly FunctionFigures[], baselineMs: number): string {
  const rows = figures.map(
    (f) => `| ${f.key} | ${f.zipKiB.toFixed(1)} | ${f.bundleKiB.toFixed(1)} | ${f.initMs.toFixed(1)} | ${(f.initMs / baselineMs).toFixed(1)} × |`,
  );
  return `## Auth service functions

Each function is packaged on its own (\`package.individually\`) with only the code it imports; the
DynamoDB and Cognito clients are bundled, not taken from the runtime. Init is the median of 7
imports of the bundled handler in a fresh process, with the function's environment set; the
baseline is importing an empty module the same way (${baselineMs.toFixed(2)} ms).

| function | zip KiB | handler .mjs KiB | module init ms | init ÷ baseline |
| --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
}
