// `npm run replay -- --stage <s> [--region r] [--max n] [--dry-run]`, after a fix: moves the
// dead-letter queue back to the failure queue (the replay function delivers it), then re-invokes
// the forwarder with the whole events its on-failure queue holds, deleting each message only once
// it succeeded.
import '../tools/require-node.js';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { assertAwsCredentials } from './aws-credentials.js';
import { moveDeadLetters } from './replay-dead-letters.js';
import { parseReplayArgs } from './replay-parse.js';
import { replayFailures } from './replay-run.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

try {
  const options = parseReplayArgs(process.argv.slice(2));
  // The SDK sets no request timeout, so a synchronous Invoke may wait out the 60 s function timeout.
  const sqs = new SQSClient({ region: options.region });
  const lambda = new LambdaClient({ region: options.region });
  try {
    await assertAwsCredentials(() => sqs.config.credentials());
    await moveDeadLetters(options, sqs, print);
    const report = await replayFailures(options, { sqs, lambda }, print);
    if (report.failed > 0 || report.invalid > 0) process.exitCode = 1;
  } finally {
    sqs.destroy();
    lambda.destroy();
  }
} catch (error) {
  process.stderr.write(`replay: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
