// The StackModel of the offline stack, derived from the packaged templates of both services with
// every intrinsic function resolved against the local resources: the functions and their
// environments, the API, the user and identity pools, the tables, the subscription filters, and
// the SQS queues with their event sources.
import type { BuiltStack } from '../build.js';
import type { FunctionSpec, LocalIds, StackModel, StackSettings, SubscriptionSpec, TableSpec } from '../model.js';
import { apiSpec } from './api.js';
import { identityPoolSpec, userPoolSpec } from './cognito.js';
import type { Located } from './cognito.js';
import { tableSpec } from './dynamodb.js';
import { TemplateError } from './errors.js';
import { createResolver } from './intrinsics.js';
import type { Resolver } from './intrinsics.js';
import { localResourceLookup } from './physical-ids.js';
import { eventSourceSpec, queueSpec } from './sqs.js';
import { asTemplate, isRecord, lambdaNameOf, requireString, resourcesOfType, serviceNames } from './template.js';
import type { ServiceName } from './template.js';

/** Deployed function name → absolute path of its bundled handler module (see buildStack). */
export type FunctionFiles = Readonly<Record<string, string>>;

interface Stack {
  service: ServiceName;
  resolver: Resolver;
}

/** One resolver per template; `Fn::ImportValue` reads the exports of the other stacks. */
function stacksOf(templates: BuiltStack['templates'], settings: StackSettings, ids: LocalIds): Stack[] {
  const resources = localResourceLookup(ids);
  const stacks: Stack[] = [];
  const importValue = (name: string): unknown => {
    for (const { resolver } of stacks) {
      for (const [key, output] of Object.entries(resolver.template.Outputs ?? {})) {
        if (output.Export === undefined) continue;
        const where = `Outputs.${key}.Export.Name`;
        if (resolver.resolveString(output.Export.Name, where) === name) return resolver.resolve(output.Value, `Outputs.${key}.Value`);
      }
    }
    return undefined;
  };
  for (const service of serviceNames) {
    const template = asTemplate(templates[service], `the ${service} template`);
    const pseudo = { region: settings.region, accountId: settings.accountId, stackName: `${service}-${settings.stage}` };
    stacks.push({ service, resolver: createResolver({ template, pseudo, resources, importValue }) });
  }
  return stacks;
}

/** Existing resources of `type` in every template, with their template's resolver. */
function located(stacks: readonly Stack[], type: string): Array<Located & { service: ServiceName }> {
  return stacks.flatMap(({ service, resolver }) =>
    resourcesOfType(resolver.template, type)
      .filter(([, resource]) => resolver.exists(resource))
      .map(([id, resource]) => ({ service, resolver, id, resource })),
  );
}

/** The one resource of `type` the offline stack runs. */
function single(stacks: readonly Stack[], type: string): Located {
  const found = located(stacks, type);
  if (found.length !== 1) {
    const names = found.length ? ` (${found.map(({ id }) => id).join(', ')})` : '';
    throw new TemplateError(`the offline stack runs exactly one ${type}; the templates have ${found.length}${names}`);
  }
  return found[0] as Located;
}

function numberOf(value: unknown, fallback: number, where: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new TemplateError(`${where}: expected a number, got ${JSON.stringify(value)}`);
  return number;
}

function functionSpec(found: Located & { service: ServiceName }, stage: string, functionFiles: FunctionFiles): FunctionSpec {
  const { resolver, id, service } = found;
  const where = `Resources.${id}.Properties`;
  // Only what runs the function: the rest (Code, Role, VpcConfig, …) may name resources that
  // have no local counterpart.
  const raw = found.resource.Properties ?? {};
  const properties = Object.fromEntries(
    ['Handler', 'Environment', 'Timeout', 'MemorySize', 'LoggingConfig'].map((key) => [key, resolver.resolve(raw[key], `${where}.${key}`)]),
  );
  const name = resolver.resolveString({ Ref: id }, `${where}.FunctionName`);
  const handler = requireString(properties.Handler, `${where}.Handler`);
  const handlerFile = functionFiles[name];
  if (handlerFile === undefined) throw new TemplateError(`function ${name} (${service}, ${id}) has no bundled handler module`);
  const variables = isRecord(properties.Environment) ? properties.Environment.Variables : undefined;
  const environment = Object.fromEntries(
    Object.entries(isRecord(variables) ? variables : {}).map(([key, value]) => [key, requireString(value, `${where}.Environment.Variables.${key}`)]),
  );
  const prefix = `${service}-${stage}-`;
  const logging = isRecord(properties.LoggingConfig) ? properties.LoggingConfig.LogGroup : undefined;
  return {
    service,
    key: name.startsWith(prefix) ? name.slice(prefix.length) : id.replace(/LambdaFunction$/, '').replace(/^./, (c) => c.toLowerCase()),
    name,
    handlerFile,
    handlerExport: handler.slice(handler.lastIndexOf('.') + 1),
    environment,
    timeoutSeconds: numberOf(properties.Timeout, 3, `${where}.Timeout`),
    memoryMb: numberOf(properties.MemorySize, 128, `${where}.MemorySize`),
    logGroup: typeof logging === 'string' ? logging : `/aws/lambda/${name}`,
  };
}

function subscriptionSpec({ resolver, id, resource }: Located): SubscriptionSpec {
  const where = `Resources.${id}.Properties`;
  const properties = resolver.resolve(resource.Properties ?? {}, where);
  if (!isRecord(properties)) throw new TemplateError(`${where}: expected an object`);
  const functionName = lambdaNameOf(properties.DestinationArn);
  if (functionName === undefined) {
    const destination = JSON.stringify(properties.DestinationArn);
    throw new TemplateError(`${where}.DestinationArn: only Lambda function destinations run locally, got ${destination}`);
  }
  return {
    logGroup: requireString(properties.LogGroupName, `${where}.LogGroupName`),
    filterPattern: properties.FilterPattern === undefined ? '' : requireString(properties.FilterPattern, `${where}.FilterPattern`),
    functionName,
  };
}

function tableOf({ resolver, id, resource }: Located): TableSpec {
  const properties = resolver.resolve(resource.Properties ?? {}, `Resources.${id}.Properties`);
  return tableSpec(resolver.resolveString({ Ref: id }, `Resources.${id}.Properties.TableName`), isRecord(properties) ? properties : {});
}

/** Every function a route, trigger or subscription invokes must be one of the stack's functions. */
function checkTargets(model: StackModel): void {
  const names = new Set(model.functions.map(({ name }) => name));
  const targets = [
    ...model.api.routes.map((route) => [`route ${route.method} ${route.path}`, route.functionName] as const),
    ...Object.entries(model.userPool.triggers).map(([trigger, name]) => [`user pool trigger ${trigger}`, name] as const),
    ...model.subscriptions.map((subscription) => [`the subscription of ${subscription.logGroup}`, subscription.functionName] as const),
    ...model.eventSources.map((source) => [`the event source of queue ${source.queue}`, source.functionName] as const),
  ];
  for (const [what, name] of targets) {
    if (!names.has(name)) throw new TemplateError(`${what} invokes ${name}, which is not a function of the templates`);
  }
}

/** What the offline stack runs, from the templates `buildStack` packaged. */
export function stackModel(
  built: Pick<BuiltStack, 'templates'>,
  settings: StackSettings,
  ids: LocalIds,
  functionFiles: FunctionFiles,
): StackModel {
  const stacks = stacksOf(built.templates, settings, ids);
  const apis = located(stacks, 'AWS::ApiGateway::RestApi');
  if (apis.length > 1) throw new TemplateError(`the offline stack runs one REST API; the templates have ${apis.map(({ id }) => id).join(', ')}`);
  const model: StackModel = {
    settings,
    functions: located(stacks, 'AWS::Lambda::Function').map((found) => functionSpec(found, settings.stage, functionFiles)),
    api: apiSpec(apis[0]?.resolver, ids, settings.stage),
    userPool: userPoolSpec(single(stacks, 'AWS::Cognito::UserPool')),
    identityPool: identityPoolSpec(single(stacks, 'AWS::Cognito::IdentityPool')),
    tables: located(stacks, 'AWS::DynamoDB::Table').map(tableOf),
    subscriptions: located(stacks, 'AWS::Logs::SubscriptionFilter').map(subscriptionSpec),
    queues: located(stacks, 'AWS::SQS::Queue').map(queueSpec),
    eventSources: located(stacks, 'AWS::Lambda::EventSourceMapping').flatMap((found) => eventSourceSpec(found) ?? []),
  };
  checkTargets(model);
  return model;
}
