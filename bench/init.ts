// Module init time: how long importing a bundle takes in a fresh Node.js process.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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
