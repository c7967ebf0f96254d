// Finds the ARN of the forwarder of a stage in its CloudFormation stack, for the auth service's
// subscription filters; says to deploy the forwarder first when there is none.
import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { ScriptError } from '../tools/errors.js';

/** The output of resources/forwarder-subscription-access.yml that holds the forwarder ARN. */
export const forwarderArnOutput = 'ForwarderFunctionArn';

/** The forwarder's stack: osls names it `<service>-<stage>`. */
export const forwarderStackName = (stage: string): string => `log-forwarder-${stage}`;

/** The forwarder of the stage is not deployed, or its stack has no ARN to subscribe to. */
export class ForwarderNotDeployedError extends ScriptError {
  override name = 'ForwarderNotDeployedError';

  constructor(stage: string, region: string, reason: string, options?: { cause?: unknown }) {
    super(
      `the log forwarder of stage ${stage} is not deployed in ${region} (${reason}): deploy the ` +
        `forwarder first with \`npm run deploy:forwarder -- --stage ${stage} --region ${region}\`, ` +
        `or deploy both with \`npm run deploy -- --stage ${stage} --region ${region}\``,
      options,
    );
  }
}

/** Whether DescribeStacks failed because the stack does not exist (a ValidationError, not a 404). */
export function isStackMissing(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ValidationError' &&
    /does not exist/.test(error.message)
  );
}

/** Picks the forwarder ARN out of a DescribeStacks answer for the stage's stack. */
export function forwarderArnOf(stacks: readonly Stack[] | undefined, stage: string, region: string): string {
  const stackName = forwarderStackName(stage);
  const stack = stacks?.find((candidate) => candidate.StackName === stackName);
  if (stack === undefined) throw new ForwarderNotDeployedError(stage, region, `no stack ${stackName}`);
  const arn = stack.Outputs?.find((output) => output.OutputKey === forwarderArnOutput)?.OutputValue;
  if (arn === undefined || arn === '') {
    throw new ForwarderNotDeployedError(
      stage,
      region,
      `stack ${stackName} is ${stack.StackStatus ?? 'in an unknown state'} and has no output ${forwarderArnOutput}`,
    );
  }
  return arn;
}

/** Reads the forwarder ARN of the stage from its stack (one DescribeStacks call). */
export async function readForwarderArn(client: CloudFormationClient, stage: string, region: string): Promise<string> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: forwarderStackName(stage) }));
    return forwarderArnOf(Stacks, stage, region);
  } catch (error) {
    if (isStackMissing(error)) {
      throw new ForwarderNotDeployedError(stage, region, `no stack ${forwarderStackName(stage)}`, { cause: error });
    }
    throw error;
  }
}
