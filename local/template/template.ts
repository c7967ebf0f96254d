// The shape of a packaged CloudFormation template, as far as the offline stack reads it, and
// small helpers to walk its resources.
import { TemplateError } from './errors.js';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  /** The name of a condition in `Conditions`: the resource exists only when it holds. */
  Condition?: string;
  DependsOn?: string | string[];
}

export interface CfnOutput {
  Value: unknown;
  Export?: { Name: unknown };
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, { Default?: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Outputs?: Record<string, CfnOutput>;
}

/** The two services the offline stack runs, by their serverless.yml `service` name. */
export const serviceNames = ['log-forwarder', 'auth-service'] as const;
export type ServiceName = (typeof serviceNames)[number];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks that a parsed JSON document looks like a CloudFormation template. */
export function asTemplate(value: unknown, source: string): CfnTemplate {
  if (!isRecord(value) || !isRecord(value.Resources)) {
    throw new TemplateError(`${source} is not a CloudFormation template: it has no Resources`);
  }
  return value as unknown as CfnTemplate;
}

/** `[logicalId, resource]` of every resource of `type`, in template order. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** The logical id a `{ Ref: X }` or `{ "Fn::GetAtt": [X, …] }` names, before resolving it. */
export function referencedId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

const lambdaArnPattern = /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/;

/** The function name in a Lambda function ARN (qualified or not), or undefined. */
export function lambdaNameOf(arn: unknown): string | undefined {
  return typeof arn === 'string' ? lambdaArnPattern.exec(arn)?.[1] : undefined;
}

/** A resolved value that must be a string; the error names where it was read. */
export function requireString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${where}: expected a string, got ${JSON.stringify(value) ?? 'nothing'}`);
}
