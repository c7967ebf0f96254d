// `npm run deploy -- [--stage <s>] [--region <r>] [--param="<name>=<value>" …]`: deploys the
// log forwarder of the stage, then the auth service subscribed to it.
// `npm run deploy:auth -- …` (this script with --auth-only) deploys the auth service alone.
//
// Credentials are checked first (a missing login fails in a second, before osls starts). The
// forwarder ARN comes from the ForwarderFunctionArn output of stack log-forwarder-<stage>; with
// no such stack the auth service is not deployed and the message says to deploy the forwarder
// first. Every --param goes to both services, e.g. --param="logSink=https://…" for the
// forwarder of a stage other than dev (or LOG_SINK in the environment), and
// --param="corsOrigin=https://app.example.com" for the auth service.
import '../tools/require-node.js';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { assertAwsCredentials } from './aws-credentials.js';
import { assertForwarderSink, forwarderArnParam, parseDeployArgs, slsArgs, withParam } from '../tools/deploy-args.js';
import { readForwarderArn } from './forwarder-stack.js';
import { runServiceSls } from '../tools/sls.js';

try {
  const options = parseDeployArgs(process.argv.slice(2));
  if (!options.authOnly) assertForwarderSink(options, process.env);
  const cloudFormation = new CloudFormationClient({ region: options.region });
  try {
    await assertAwsCredentials(() => cloudFormation.config.credentials());
    if (!options.authOnly) await runServiceSls('forwarder', slsArgs('deploy', options));
    const forwarderArn = await readForwarderArn(cloudFormation, options.stage, options.region);
    process.stdout.write(`forwarder of stage ${options.stage}: ${forwarderArn}\n`);
    const authParams = withParam(options.params, forwarderArnParam, forwarderArn);
    await runServiceSls('auth-service', slsArgs('deploy', options, authParams));
  } finally {
    cloudFormation.destroy();
  }
} catch (error) {
  process.stderr.write(`deploy: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
