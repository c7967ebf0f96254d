// `npm run demo`: the scripted journey against a running offline stack (`npm start` in another
// terminal): sign up, confirm, sign in, identity credentials, signed GET /profile, its log lines.
import '../../tools/require-node.js';
import path from 'node:path';
import { readEndpoints } from '../endpoints.js';
import { runDemo } from './run.js';

try {
  const stack = readEndpoints(path.resolve(process.env.LOCAL_STATE_DIR ?? '.local'));
  await runDemo(stack, (line) => process.stdout.write(`${line}\n`), process.stdout.isTTY === true && !process.env.NO_COLOR);
} catch (error) {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
