// `npm run package -- [--stage <s>] [--region <r>] [--param="<name>=<value>" …]`: packages the
// forwarder, then the auth service, offline and without AWS credentials; the templates and zips
// land in forwarder/.serverless/ and auth-service/.serverless/.
//
// Every --param goes to both services (each ignores the other's). The forwarder has a default
// sink only on dev: any other stage needs --param="logSink=https://…" or LOG_SINK in the
// environment, e.g. `LOG_SINK=https://example.invalid/logs npm run package -- --stage prod`.
// The auth service subscribes its log groups to a placeholder forwarder ARN in account
// 000000000000 (deployable nowhere) unless --param="forwarderArn=arn:aws:lambda:…" is given.
import '../tools/require-node.js';
import { assertForwarderSink, packageAuthParams, parsePackageArgs, slsArgs } from '../tools/deploy-args.js';
import { runServiceSls } from '../tools/sls.js';

try {
  const options = parsePackageArgs(process.argv.slice(2));
  assertForwarderSink(options, process.env);
  await runServiceSls('forwarder', slsArgs('package', options));
  await runServiceSls('auth-service', slsArgs('package', options, packageAuthParams(options)));
} catch (error) {
  process.stderr.write(`package: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
