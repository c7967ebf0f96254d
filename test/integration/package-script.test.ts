import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm run package', () => {
  it('stops a stage without a log sink before osls runs, saying what to pass, and exits non-zero', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/package.ts', '--stage', 'prod'], {
      cwd: root,
      env: { ...process.env, LOG_SINK: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('package: stage "prod" names no log sink for the forwarder: pass --param="logSink=<LOG_SINK URL>"');
    expect(run.stderr).not.toContain('Cannot resolve variable');
  });
});
