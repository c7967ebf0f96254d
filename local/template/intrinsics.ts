// Resolves CloudFormation intrinsic functions and pseudo parameters in a packaged template, the
// way CloudFormation would at deploy time, against the physical ids a lookup gives (the local
// resources, see physical-ids.ts). Errors name the place in the template that failed.
import { TemplateError } from './errors.js';
import { argList, evaluate, valueFunctions } from './functions.js';
import type { FunctionContext } from './functions.js';
import { isRecord, requireString } from './template.js';
import type { CfnResource, CfnTemplate } from './template.js';

/** `{ Ref: AWS::NoValue }`: the property or list element is removed. */
export const NoValue: unique symbol = Symbol('AWS::NoValue');

export interface PseudoParameters {
  region: string;
  accountId: string;
  stackName: string;
  partition?: string;
  urlSuffix?: string;
}

/** What `Ref` and `Fn::GetAtt` give for a resource; undefined when there is no local value. */
export interface ResourceLookup {
  ref(logicalId: string, resource: CfnResource, resolver: Resolver): string | undefined;
  getAtt(logicalId: string, resource: CfnResource, attribute: string, resolver: Resolver): unknown;
}

export interface ResolverOptions {
  template: CfnTemplate;
  pseudo: PseudoParameters;
  resources: ResourceLookup;
  /** The value another stack exports under `name` (`Fn::ImportValue`), or undefined. */
  importValue?: (name: string) => unknown;
}

export interface Resolver {
  readonly template: CfnTemplate;
  readonly pseudo: Required<PseudoParameters>;
  /** `value` with every intrinsic function resolved; `where` names it in errors. */
  resolve(value: unknown, where: string): unknown;
  /** Resolves `value` and checks that it is a string. */
  resolveString(value: unknown, where: string): string;
  /** The value of a condition of the template's `Conditions`. */
  condition(name: string): boolean;
  /** Whether the resource exists: it has no `Condition`, or its condition holds. */
  exists(resource: CfnResource): boolean;
}

function isIntrinsic(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  const key = keys[0];
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::')) ? key : undefined;
}

/** A resolver for one template; conditions are evaluated once each. */
export function createResolver(options: ResolverOptions): Resolver {
  const { template, resources, importValue } = options;
  const pseudo = { partition: 'aws', urlSuffix: 'amazonaws.com', ...options.pseudo };
  const conditions = new Map<string, boolean>();
  const resolving = new Set<string>();

  const pseudoValue = (name: string): unknown => {
    switch (name) {
      case 'AWS::Region': return pseudo.region;
      case 'AWS::AccountId': return pseudo.accountId;
      case 'AWS::Partition': return pseudo.partition;
      case 'AWS::URLSuffix': return pseudo.urlSuffix;
      case 'AWS::StackName': return pseudo.stackName;
      case 'AWS::StackId':
        return `arn:${pseudo.partition}:cloudformation:${pseudo.region}:${pseudo.accountId}:stack/${pseudo.stackName}/local`;
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NoValue;
      default: return undefined;
    }
  };

  // Ref and GetAtt of a resource may resolve its own properties (a table's TableName): guard
  // against a template whose references go round in a circle.
  const throughResource = <T>(logicalId: string, where: string, get: (resource: CfnResource) => T): T => {
    const resource = template.Resources[logicalId];
    if (!resource) throw new TemplateError(`${where}: "${logicalId}" is not a resource of ${pseudo.stackName}`);
    if (resolving.has(logicalId)) throw new TemplateError(`${where}: circular reference through "${logicalId}"`);
    resolving.add(logicalId);
    try {
      return get(resource);
    } finally {
      resolving.delete(logicalId);
    }
  };

  const ref = (name: unknown, where: string): unknown => {
    if (typeof name !== 'string') throw new TemplateError(`${where}: Ref takes a name, got ${JSON.stringify(name)}`);
    const value = pseudoValue(name);
    if (value !== undefined) return value;
    if (name.startsWith('AWS::')) throw new TemplateError(`${where}: unknown pseudo parameter ${name}`);
    const parameter = template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new TemplateError(`${where}: parameter ${name} has no Default`);
      return resolve(parameter.Default, `Parameters.${name}.Default`);
    }
    if (!template.Resources[name]) {
      throw new TemplateError(`${where}: Ref to "${name}", which is not a resource, parameter or pseudo parameter of ${pseudo.stackName}`);
    }
    return throughResource(name, where, (resource) => {
      const id = resources.ref(name, resource, resolver);
      if (id === undefined) throw new TemplateError(`${where}: Ref to ${resource.Type} "${name}" has no local value`);
      return id;
    });
  };

  const getAtt = (args: unknown, where: string): unknown => {
    // The short form is `Resource.Attribute`; attributes may hold dots (`Endpoint.Address`).
    const dot = typeof args === 'string' ? args.indexOf('.') : -1;
    const [logicalId, attribute] = typeof args !== 'string'
      ? argList(args, 2, 'Fn::GetAtt', where)
      : dot > 0 ? [args.slice(0, dot), args.slice(dot + 1)] : [undefined, undefined];
    if (typeof logicalId !== 'string' || !logicalId) throw new TemplateError(`${where}: Fn::GetAtt needs a resource, got ${JSON.stringify(args)}`);
    const name = requireString(resolve(attribute, `${where}.Fn::GetAtt`), `${where}.Fn::GetAtt`);
    return throughResource(logicalId, where, (resource) => {
      const value = resources.getAtt(logicalId, resource, name, resolver);
      if (value === undefined) {
        throw new TemplateError(`${where}: Fn::GetAtt ${logicalId}.${name}: ${resource.Type} has no local value for attribute ${name}`);
      }
      return value;
    });
  };

  const sub = (args: unknown, where: string): string => {
    const [text, variables] = Array.isArray(args) ? argList(args, 2, 'Fn::Sub', where) : [args, {}];
    if (typeof text !== 'string' || !isRecord(variables)) {
      throw new TemplateError(`${where}: Fn::Sub takes a string or [string, { variables }], got ${JSON.stringify(args)}`);
    }
    return text.replace(/\$\{([^}]*)\}/g, (_match, raw: string) => {
      if (raw.startsWith('!')) return `\${${raw.slice(1)}}`;
      const name = raw.trim();
      const at = `${where}.Fn::Sub \${${name}}`;
      if (Object.hasOwn(variables, name)) return requireString(resolve(variables[name], at), at);
      if (name.includes('.') && !name.startsWith('AWS::')) return requireString(getAtt(name, at), at);
      return requireString(ref(name, at), at);
    });
  };

  const condition = (name: string): boolean => {
    const known = conditions.get(name);
    if (known !== undefined) return known;
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new TemplateError(`condition "${name}" is not defined in ${pseudo.stackName}`);
    const value = evaluate(definition, `Conditions.${name}`, context);
    conditions.set(name, value);
    return value;
  };

  const intrinsic = (key: string, args: unknown, where: string): unknown => {
    if (key === 'Ref') return ref(args, where);
    if (key === 'Fn::GetAtt') return getAtt(args, where);
    if (key === 'Fn::Sub') return sub(args, where);
    const compute = Object.hasOwn(valueFunctions, key) ? valueFunctions[key] : undefined;
    if (!compute) throw new TemplateError(`${where}: unsupported intrinsic function ${key}`);
    return compute(args, `${where}.${key}`, context);
  };

  const resolve = (value: unknown, where: string): unknown => {
    if (Array.isArray(value)) {
      return value.map((item, index) => resolve(item, `${where}[${index}]`)).filter((item) => item !== NoValue);
    }
    if (!isRecord(value)) return value;
    const key = isIntrinsic(value);
    if (key) return intrinsic(key, value[key], where);
    const entries = Object.entries(value).map(([name, item]) => [name, resolve(item, `${where}.${name}`)] as const);
    return Object.fromEntries(entries.filter(([, item]) => item !== NoValue));
  };

  const context: FunctionContext = { template, resolve, condition, importValue };
  const resolver: Resolver = {
    template,
    pseudo,
    resolve: (value, where) => {
      const resolved = resolve(value, where);
      return resolved === NoValue ? undefined : resolved;
    },
    resolveString: (value, where) => requireString(resolve(value, where), where),
    condition,
    exists: (resource) => resource.Condition === undefined || condition(resource.Condition),
  };
  return resolver;
}
