// `npm run deploy:forwarder` runs this before osls so a missing login fails in a second, clearly.
import '../tools/require-node.js';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { assertAwsCredentials } from './aws-credentials.js';

// The region does not matter for resolving credentials; the client just needs one.
const client = new LambdaClient({ region: 'us-east-1' });
try {
  await assertAwsCredentials(() => client.config.credentials());
  process.stdout.write('AWS credentials found\n');
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  client.destroy();
}
