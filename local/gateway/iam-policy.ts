// Evaluates the identity pool role's IAM statements for `execute-api:Invoke`, as IAM does for an
// identity-based policy: an explicit Deny wins, otherwise an Allow is needed, otherwise denied.
import * as z from 'zod/mini';

const stringOrList = z.union([z.string(), z.array(z.string())]);

/** An IAM policy statement, once the template's intrinsic functions are resolved to strings. */
export const policyStatementSchema = z.object({
  Sid: z.optional(z.string()),
  Effect: z.enum(['Allow', 'Deny']),
  Action: z.optional(stringOrList),
  NotAction: z.optional(stringOrList),
  Resource: z.optional(stringOrList),
  NotResource: z.optional(stringOrList),
  Condition: z.optional(z.unknown()),
  Principal: z.optional(z.unknown()),
  NotPrincipal: z.optional(z.unknown()),
});

export type PolicyStatement = z.infer<typeof policyStatementSchema>;

/** A statement the local gateway cannot enforce faithfully, so it refuses to load it. */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

export interface PolicyContext {
  /** Values of policy variables used in Resource, e.g. `cognito-identity.amazonaws.com:sub`. */
  variables?: Readonly<Record<string, string>>;
}

export const PolicyDecision = {
  Allow: 'allow',
  ExplicitDeny: 'explicit-deny',
  ImplicitDeny: 'implicit-deny',
} as const;
export type PolicyDecision = (typeof PolicyDecision)[keyof typeof PolicyDecision];

type Matcher = (value: string) => boolean;

interface CompiledStatement {
  effect: 'Allow' | 'Deny';
  action: Matcher;
  resource: Matcher;
}

export interface CompiledPolicy {
  readonly statements: readonly CompiledStatement[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

// `*` is any run of characters (`/` and `:` included), `?` exactly one; `${name}` is a policy
// variable, `${*}` `${?}` `${$}` the literal characters. An unknown variable never matches.
function globMatcher(
  pattern: string,
  flags: string,
  variables: PolicyContext['variables'],
): Matcher {
  let source = '';
  let last = 0;
  for (const token of pattern.matchAll(/\$\{([^}]*)\}|\*|\?/g)) {
    source += escapeRegExp(pattern.slice(last, token.index));
    last = token.index + token[0].length;
    if (token[0] === '*') source += '.*';
    else if (token[0] === '?') source += '.';
    else {
      const name = token[1] ?? '';
      const value = ['*', '?', '$'].includes(name) ? name : variables?.[name];
      if (value === undefined) return () => false;
      source += escapeRegExp(value);
    }
  }
  source += escapeRegExp(pattern.slice(last));
  const regex = new RegExp(`^${source}$`, `s${flags}`);
  return (value) => regex.test(value);
}

// arn:partition:service:region:account:resource — the resource part may hold more colons.
const splitArn = (arn: string): string[] | undefined => {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6
    ? [...parts.slice(0, 5), parts.slice(5).join(':')]
    : undefined;
};

// IAM matches an ARN segment by segment, so a wildcard in one segment stays within it.
function resourceMatcher(pattern: string, variables: PolicyContext['variables']): Matcher {
  if (pattern === '*') return () => true;
  const segments = splitArn(pattern);
  if (!segments) return globMatcher(pattern, '', variables);
  const matchers = segments.map((segment) => globMatcher(segment, '', variables));
  return (arn) => {
    const parts = splitArn(arn);
    return parts !== undefined && matchers.every((matches, i) => matches(parts[i] ?? ''));
  };
}

const anyOf = (matchers: Matcher[]): Matcher => (value) => matchers.some((m) => m(value));
const list = (value: string | string[]): string[] => (typeof value === 'string' ? [value] : value);

function compileStatement(
  statement: PolicyStatement,
  where: string,
  context: PolicyContext,
): CompiledStatement {
  if (statement.Condition !== undefined) {
    throw new PolicyError(`${where}: Condition is not supported by the local gateway`);
  }
  if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) {
    throw new PolicyError(`${where}: an identity-based policy has no Principal`);
  }
  if ((statement.Action === undefined) === (statement.NotAction === undefined)) {
    throw new PolicyError(`${where}: needs exactly one of Action and NotAction`);
  }
  if ((statement.Resource === undefined) === (statement.NotResource === undefined)) {
    throw new PolicyError(`${where}: needs exactly one of Resource and NotResource`);
  }
  // Action names are case-insensitive; resource ARNs are case-sensitive.
  const actionPatterns = list(statement.Action ?? statement.NotAction ?? []);
  const resourcePatterns = list(statement.Resource ?? statement.NotResource ?? []);
  const actions = anyOf(actionPatterns.map((a) => globMatcher(a, 'i', {})));
  const resources = anyOf(resourcePatterns.map((r) => resourceMatcher(r, context.variables)));
  return {
    effect: statement.Effect,
    action: statement.Action === undefined ? (a) => !actions(a) : actions,
    resource: statement.Resource === undefined ? (r) => !resources(r) : resources,
  };
}

/**
 * Compiles identity-policy statements for evaluation. Throws a PolicyError for a statement that
 * is malformed or uses what the local gateway does not evaluate (Condition).
 */
export function compilePolicy(
  statements: readonly unknown[],
  context: PolicyContext = {},
): CompiledPolicy {
  return {
    statements: statements.map((raw, index) => {
      const parsed = policyStatementSchema.safeParse(raw);
      const sid = (raw as { Sid?: unknown } | null)?.Sid;
      const where = `statement ${index}${typeof sid === 'string' ? ` (${sid})` : ''}`;
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        throw new PolicyError(`${where}: ${issues.join('; ')}`);
      }
      return compileStatement(parsed.data, where, context);
    }),
  };
}

/** What IAM decides for `action` on `resourceArn`. */
export function evaluatePolicy(
  policy: CompiledPolicy,
  action: string,
  resourceArn: string,
): PolicyDecision {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statement.action(action) || !statement.resource(resourceArn)) continue;
    if (statement.effect === 'Deny') return PolicyDecision.ExplicitDeny;
    allowed = true;
  }
  return allowed ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny;
}

export interface MethodArnParts {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  /** The HTTP method; upper-cased. */
  method: string;
  /** The request path within the stage, e.g. `/profile`; its leading slash is dropped. */
  path: string;
  partition?: string;
}

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`: what is invoked. */
export function methodArn(parts: MethodArnParts): string {
  const path = parts.path.startsWith('/') ? parts.path.slice(1) : parts.path;
  return (
    `arn:${parts.partition ?? 'aws'}:execute-api:${parts.region}:${parts.accountId}:` +
    `${parts.apiId}/${parts.stage}/${parts.method.toUpperCase()}/${path}`
  );
}
