// `npm start`: the whole pipeline on this machine, no AWS account, no Docker. Foreground;
// Ctrl-C stops everything; data stays under .local/ for the next start.
//   npm start -- [--no-demo] [--verbose] [--rebuild] [--stage local] [--region us-east-1] [--api-port 3000] [--web-port 3001]
import '../tools/require-node.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { showParking } from './demo/parking.js';
import { runDemo } from './demo/run.js';
import { startStack } from './stack.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const print = (line: string) => void process.stdout.write(`${line}\n`);

const usage =
  'usage: npm start -- [--no-demo] [--verbose] [--rebuild] [--stage local] [--region us-east-1] [--api-port 3000 (0: any free port)] [--web-port 3001 (0: any free port)] [--state-dir .local]';

const options = {
  'no-demo': { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  rebuild: { type: 'boolean', default: false },
  stage: { type: 'string', default: 'local' },
  region: { type: 'string', default: 'us-east-1' },
  'api-port': { type: 'string', default: '3000' },
  'web-port': { type: 'string', default: '3001' },
  'state-dir': { type: 'string', default: path.join(root, '.local') },
  help: { type: 'boolean', default: false },
} as const;

function parseOptions() {
  try {
    return parseArgs({ options, strict: true }).values;
  } catch (error) {
    process.stderr.write(`start: ${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
}

const values = parseOptions();
if (values.help) {
  print(usage);
  process.exit(0);
}

const started = performance.now();
const stack = await startStack({
  root,
  stateDir: values['state-dir'],
  stage: values.stage,
  region: values.region,
  logSink: process.env.LOG_SINK,
  confirmationCode: process.env.CODE,
  ports: { api: Number(values['api-port']), web: Number(values['web-port']) },
  verbose: values.verbose,
  rebuild: values.rebuild,
  log: (line) => print(`start: ${line}`),
}).catch((error: unknown) => {
  process.stderr.write(`start: ${(error as Error).message}\n`);
  process.exit(1);
});

const { endpoints } = stack;
print(`
Offline stack "${endpoints.stage}" ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${endpoints.region}, account 000000000000)
  web client          ${endpoints.endpoints.web ?? ''}   (open it: sign up, confirm, sign in, edit your profile)
  API                 ${endpoints.endpoints.api}   (GET /health; GET /hello, GET|PUT /profile signed with SigV4)
  user pool           ${endpoints.userPoolId}  client ${endpoints.userPoolClientId}  at ${endpoints.endpoints.cognitoIdentityProvider}
  identity pool       ${endpoints.identityPoolId}  at ${endpoints.endpoints.cognitoIdentity}
  DynamoDB            ${endpoints.endpoints.dynamodb}
  Lambda Invoke API   ${endpoints.endpoints.lambda}
  SQS                 ${endpoints.endpoints.sqs ?? ''}   (${stack.model.queues.map((queue) => queue.name).join(', ')}; the replay function drains the failure queue)
  logs                ${endpoints.logSink}   (confirmation code for every sign-up: ${endpoints.confirmationCode})
  endpoints file      ${path.relative(process.cwd(), stack.endpointsFile)}

Next: npm run demo · npm run logs -- search --function auth-service-${endpoints.stage}-getProfile · Ctrl-C to stop
`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  print(`start: ${signal}, stopping…`);
  stack.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`start: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

if (!values['no-demo']) {
  try {
    await runDemo(endpoints, print, process.stdout.isTTY === true && !process.env.NO_COLOR);
    await showParking(stack, (line) => print(`demo: ${line}`));
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
  }
}
