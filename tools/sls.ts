// The one way the project runs its own osls (node_modules/.bin/sls): npm run package/deploy with the
// output on the terminal, the offline stack's build with the output kept for its error message.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeSlsArgs } from './deploy-args.js';
import { ScriptError } from './errors.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The service folders, in deployment order. */
export type ServiceFolder = 'forwarder' | 'auth-service';

/** osls exited with an error: the message says where, how, and (when the output was kept) the end of what osls printed. */
export class SlsFailedError extends ScriptError {
  override name = 'SlsFailedError';
}

export interface SlsRun {
  /** The folder holding the serverless.yml. */
  cwd: string;
  args: readonly string[];
  /** Names the run in the error message. */
  label: string;
  /** `inherit`: osls writes to the terminal; `keep`: its last 30 lines go into the error. */
  output: 'inherit' | 'keep';
  env?: NodeJS.ProcessEnv;
}

/** Runs `sls <args>` and resolves when it exits 0; rejects with an SlsFailedError otherwise. */
export function runSls(run: SlsRun): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repoRoot, 'node_modules', '.bin', 'sls'), run.args, {
      cwd: run.cwd,
      env: run.env ?? process.env,
      stdio: run.output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-64 * 1024);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const fail = (reason: string, cause?: unknown) => {
      const tail = output.trimEnd().split('\n').slice(-30).join('\n');
      reject(new SlsFailedError(`sls ${run.args[0] ?? ''} failed for ${run.label} (${reason})${tail ? `:\n${tail}` : ''}`, { cause }));
    };
    child.on('error', (error) => fail(error.message, error));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else fail(signal ? `signal ${signal}` : `exit code ${String(code)}`);
    });
  });
}

/** `npm run package` and `npm run deploy`: osls in a service folder, on the terminal, after a line saying what runs. */
export function runServiceSls(folder: ServiceFolder, args: readonly string[]): Promise<void> {
  process.stdout.write(`\n${folder}/: ${describeSlsArgs(args)}\n`);
  return runSls({ cwd: path.join(repoRoot, folder), args, label: `${folder}/`, output: 'inherit' });
}
