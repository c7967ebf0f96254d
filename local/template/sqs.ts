// The templates' SQS queues (with their redrive policies) and SQS event source mappings, as the
// local SQS and its event source run them.
import type { EventSourceSpec, QueueSpec } from '../model.js';
import type { Located } from './cognito.js';
import { TemplateError } from './errors.js';
import { isRecord, lambdaNameOf, requireString } from './template.js';

const queueArn = /^arn:[^:]+:sqs:[^:]+:\d{12}:([^:]+)$/;

function queueNameOf(arn: unknown, where: string): string {
  const name = typeof arn === 'string' ? queueArn.exec(arn)?.[1] : undefined;
  if (name === undefined) throw new TemplateError(`${where}: expected an SQS queue ARN, got ${JSON.stringify(arn)}`);
  return name;
}

export function queueSpec({ resolver, id, resource }: Located): QueueSpec {
  const where = `Resources.${id}.Properties`;
  const properties = resolver.resolve(resource.Properties ?? {}, where);
  const name = resolver.resolveString({ Ref: id }, `${where}.QueueName`).split('/').pop()!;
  const spec: QueueSpec = { name };
  if (!isRecord(properties)) return spec;
  if (properties.VisibilityTimeout !== undefined) spec.visibilityTimeoutSeconds = Number(properties.VisibilityTimeout);
  const redrive = typeof properties.RedrivePolicy === 'string' ? (JSON.parse(properties.RedrivePolicy) as unknown) : properties.RedrivePolicy;
  if (isRecord(redrive)) {
    spec.redrive = { deadLetterQueue: queueNameOf(redrive.deadLetterTargetArn, `${where}.RedrivePolicy.deadLetterTargetArn`), maxReceiveCount: Number(redrive.maxReceiveCount) };
  }
  return spec;
}

/** An SQS event source mapping, or undefined for other sources (streams), which do not run locally. */
export function eventSourceSpec({ resolver, id, resource }: Located): EventSourceSpec | undefined {
  const where = `Resources.${id}.Properties`;
  const properties = resolver.resolve(resource.Properties ?? {}, where);
  if (!isRecord(properties) || typeof properties.EventSourceArn !== 'string' || !queueArn.test(properties.EventSourceArn)) return undefined;
  if (properties.Enabled === false || properties.Enabled === 'false') return undefined;
  const functionName = lambdaNameOf(properties.FunctionName) ?? requireString(properties.FunctionName, `${where}.FunctionName`);
  return {
    functionName,
    queue: queueNameOf(properties.EventSourceArn, `${where}.EventSourceArn`),
    batchSize: properties.BatchSize === undefined ? 10 : Number(properties.BatchSize),
    reportBatchItemFailures: Array.isArray(properties.FunctionResponseTypes) && properties.FunctionResponseTypes.includes('ReportBatchItemFailures'),
  };
}
