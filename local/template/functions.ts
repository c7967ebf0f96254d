// The intrinsic functions that only compute with values (Fn::Join, Fn::Select, Fn::Split, Fn::If,
// Fn::ImportValue, Fn::FindInMap, Fn::Base64) and the condition functions (Fn::Equals, Fn::Not,
// Fn::And, Fn::Or). Ref, Fn::GetAtt and Fn::Sub, which name resources, are in intrinsics.ts.
import { TemplateError } from './errors.js';
import type { CfnTemplate } from './template.js';
import { isRecord, requireString } from './template.js';

/** What the functions need from the resolver of their template. */
export interface FunctionContext {
  template: CfnTemplate;
  resolve(value: unknown, where: string): unknown;
  condition(name: string): boolean;
  importValue?: (name: string) => unknown;
}

type IntrinsicFunction = (args: unknown, where: string, context: FunctionContext) => unknown;

export function argList(args: unknown, count: number, name: string, where: string): unknown[] {
  if (!Array.isArray(args) || args.length !== count) {
    throw new TemplateError(`${where}: ${name} takes a list of ${count} values, got ${JSON.stringify(args)}`);
  }
  return args;
}

function list(value: unknown, name: string, where: string, context: FunctionContext): unknown[] {
  const resolved = context.resolve(value, where);
  if (!Array.isArray(resolved)) throw new TemplateError(`${where}: ${name} needs a list, got ${JSON.stringify(resolved)}`);
  return resolved;
}

function text(value: unknown, where: string, context: FunctionContext): string {
  return requireString(context.resolve(value, where), where);
}

/** Evaluates a condition: a condition function, `{ Condition: name }`, or a resolved true/false. */
export function evaluate(value: unknown, where: string, context: FunctionContext): boolean {
  const [key, args] = isRecord(value) && Object.keys(value).length === 1 ? Object.entries(value)[0] ?? [] : [];
  const at = `${where}.${key ?? ''}`;
  switch (key) {
    case 'Condition': return context.condition(requireString(args, at));
    case 'Fn::Equals': {
      // CloudFormation compares the values as strings: `true` equals 'true'.
      const [a, b] = argList(args, 2, key, where).map((arg) => {
        const resolved = context.resolve(arg, at);
        return typeof resolved === 'object' ? JSON.stringify(resolved) : String(resolved);
      });
      return a === b;
    }
    case 'Fn::Not': return !evaluate(argList(args, 1, key, where)[0], at, context);
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(args) || args.length < 2) throw new TemplateError(`${where}: ${key} takes a list of 2 to 10 conditions`);
      return key === 'Fn::And' ? args.every((arg) => evaluate(arg, at, context)) : args.some((arg) => evaluate(arg, at, context));
    }
    default: {
      const resolved = context.resolve(value, where);
      if (resolved === true || resolved === 'true') return true;
      if (resolved === false || resolved === 'false') return false;
      throw new TemplateError(`${where}: a condition must be true or false, got ${JSON.stringify(resolved)}`);
    }
  }
}

const conditionFunction = (key: string): IntrinsicFunction => (args, where, context) => evaluate({ [key]: args }, where, context);

export const valueFunctions: Record<string, IntrinsicFunction> = {
  'Fn::Join': (args, where, context) => {
    const [delimiter, values] = argList(args, 2, 'Fn::Join', where);
    return list(values, 'Fn::Join', where, context).map((item) => requireString(item, where)).join(requireString(delimiter, where));
  },
  'Fn::Select': (args, where, context) => {
    const [index, values] = argList(args, 2, 'Fn::Select', where);
    const items = list(values, 'Fn::Select', where, context);
    const position = Number(context.resolve(index, where));
    if (!Number.isInteger(position) || position < 0 || position >= items.length) {
      throw new TemplateError(`${where}: Fn::Select index ${String(position)} is outside a list of ${items.length}`);
    }
    return items[position];
  },
  'Fn::Split': (args, where, context) => {
    const [delimiter, source] = argList(args, 2, 'Fn::Split', where);
    return text(source, where, context).split(requireString(delimiter, where));
  },
  'Fn::If': (args, where, context) => {
    const [name, whenTrue, whenFalse] = argList(args, 3, 'Fn::If', where);
    return context.condition(requireString(name, where)) ? context.resolve(whenTrue, `${where}[1]`) : context.resolve(whenFalse, `${where}[2]`);
  },
  'Fn::ImportValue': (args, where, context) => {
    const name = text(args, where, context);
    const value = context.importValue?.(name);
    if (value === undefined) throw new TemplateError(`${where}: Fn::ImportValue "${name}": no stack exports that name`);
    return value;
  },
  'Fn::FindInMap': (args, where, context) => {
    const [map = '', top = '', second = ''] = argList(args, 3, 'Fn::FindInMap', where).map((arg) => text(arg, where, context));
    const value = context.template.Mappings?.[map]?.[top]?.[second];
    if (value === undefined) throw new TemplateError(`${where}: Fn::FindInMap ${map}.${top}.${second} is not in Mappings`);
    return value;
  },
  'Fn::Base64': (args, where, context) => Buffer.from(text(args, where, context)).toString('base64'),
  'Fn::Equals': conditionFunction('Fn::Equals'),
  'Fn::Not': conditionFunction('Fn::Not'),
  'Fn::And': conditionFunction('Fn::And'),
  'Fn::Or': conditionFunction('Fn::Or'),
};
