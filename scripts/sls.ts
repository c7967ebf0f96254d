// Runs the project's own osls (node_modules/.bin/sls) in one service folder, output to the terminal.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScriptError } from '../tools/errors.js';
import { describeSlsArgs } from '../tools/deploy-args.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const slsBin = path.join(repoRoot, 'node_modules', '.bin', 'sls');

/** The service folders, in deployment order. */
export type ServiceFolder = 'forwarder' | 'auth-service';

/** osls exited with an error; its own output above says why. */
export class SlsFailedError extends ScriptError {
  constructor(folder: ServiceFolder, command: string, reason: string) {
    super(`\`sls ${command}\` failed in ${folder}/ (${reason})`);
    this.name = 'SlsFailedError';
  }
}

/** Runs `sls <args>` in `folder` and resolves when it succeeds; the environment is passed on. */
export function runSls(folder: ServiceFolder, args: readonly string[]): Promise<void> {
  process.stdout.write(`\n${folder}/: ${describeSlsArgs(args)}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(slsBin, args, { cwd: path.join(repoRoot, folder), stdio: 'inherit' });
    child.on('error', (error) => reject(new SlsFailedError(folder, args[0] ?? '', error.message)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new SlsFailedError(folder, args[0] ?? '', signal ? `signal ${signal}` : `exit code ${code}`));
    });
  });
}
