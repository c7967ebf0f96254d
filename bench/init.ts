// Module init time: how long importing a bundle takes in a fresh Node.js process.
import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Median time to import a module in a fresh Node.js process, in milliseconds. */
export function importMs(file: string, env: Record<string, string>, runs = 7): number {
  const probe = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const times = Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    return Number(out.trim().split('\n').at(-1));
  });
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? Number.NaN;
}

/** The baseline of {@link importMs}: importing an empty module the same way. */
export function emptyImportMs(work: string): number {
  const empty = path.join(work, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  return importMs(empty, {});
}

/**
 * The files a fresh Node.js process loads to import `file`, seen by a module hook in a run of
 * its own (not a timed one): the handler module and every chunk it imports statically.
 */
export function modulesLoadedBy(file: string, env: Record<string, string>): string[] {
  const probe = `import { registerHooks } from 'node:module';
const loaded = [];
registerHooks({ load(url, context, nextLoad) { if (url.startsWith('file:')) loaded.push(url); return nextLoad(url, context); } });
await import(${JSON.stringify(pathToFileURL(file).href)});
console.log(JSON.stringify(loaded));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').at(-1) ?? '[]') as string[]).map((url) => fileURLToPath(url));
}

/** KiB of the files, together. */
export function kibOf(files: Iterable<string>): number {
  let bytes = 0;
  for (const file of files) bytes += statSync(file).size;
  return bytes / 1024;
}
