// Bundles the worker (local/lambda/worker/) into one plain .mjs under the state dir, once per
// runtime start, so each execution environment starts with `node <file>` and no TypeScript loader.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('./worker/main.ts', import.meta.url));

/** Returns the path of the bundled worker, named by its content so concurrent runtimes agree. */
export async function bundleWorker(stateDir: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced nothing for ${entry}`);
  const dir = path.join(stateDir, 'lambda');
  const file = path.join(dir, `runtime-worker-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return file;
}
