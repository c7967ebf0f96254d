// The user pool (its properties, triggers and web client) and the identity pool (its
// authenticated role's ARN and resolved statements) of a packaged template.
import type { IdentityPoolSpec, PolicyStatement, UserPoolSpec } from '../model.js';
import { TemplateError } from './errors.js';
import type { Resolver } from './intrinsics.js';
import type { CfnResource } from './template.js';
import { isRecord, lambdaNameOf, referencedId, resourcesOfType } from './template.js';

/** One resource found in one of the templates, with the resolver of that template. */
export interface Located {
  resolver: Resolver;
  id: string;
  resource: CfnResource;
}

function resolvedProperties(found: Located): Record<string, unknown> {
  const properties = found.resolver.resolve(found.resource.Properties ?? {}, `Resources.${found.id}.Properties`);
  return isRecord(properties) ? properties : {};
}

/** Existing resources of `type` in the same template as `found` whose `property` references it. */
function referencing(found: Located, type: string, property: string): Array<[string, CfnResource]> {
  return resourcesOfType(found.resolver.template, type).filter(
    ([, resource]) => found.resolver.exists(resource) && referencedId(resource.Properties?.[property]) === found.id,
  );
}

/** Trigger name → function name from a resolved LambdaConfig (plain ARNs and `{ LambdaArn }`). */
function triggersOf(lambdaConfig: unknown): Record<string, string> {
  if (!isRecord(lambdaConfig)) return {};
  const triggers: Record<string, string> = {};
  for (const [trigger, value] of Object.entries(lambdaConfig)) {
    const name = lambdaNameOf(isRecord(value) ? value.LambdaArn : value);
    if (name !== undefined) triggers[trigger] = name;
  }
  return triggers;
}

export function userPoolSpec(pool: Located): UserPoolSpec {
  const properties = resolvedProperties(pool);
  const clients = referencing(pool, 'AWS::Cognito::UserPoolClient', 'UserPoolId');
  const [client] = clients;
  if (!client) throw new TemplateError(`user pool ${pool.id} has no AWS::Cognito::UserPoolClient`);
  if (clients.length > 1) {
    const names = clients.map(([id]) => id).join(', ');
    throw new TemplateError(`user pool ${pool.id} has ${clients.length} clients (${names}); the offline stack runs one`);
  }
  const [clientId, clientResource] = client;
  return {
    properties,
    triggers: triggersOf(properties.LambdaConfig),
    client: { properties: resolvedProperties({ resolver: pool.resolver, id: clientId, resource: clientResource }) },
  };
}

function statementsOf(document: unknown, where: string): PolicyStatement[] {
  const statements = isRecord(document) ? document.Statement : undefined;
  const list: unknown[] = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  return list.map((statement, index) => {
    const at = `${where}.Statement[${index}]`;
    if (!isRecord(statement) || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) {
      throw new TemplateError(`${at}: a statement needs Effect Allow or Deny, got ${JSON.stringify(statement)}`);
    }
    const result: PolicyStatement = { Effect: statement.Effect };
    for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      const value = statement[key];
      if (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
        result[key] = value;
      } else if (value !== undefined) {
        throw new TemplateError(`${at}.${key}: expected a string or a list of strings, got ${JSON.stringify(value)}`);
      }
    }
    return result;
  });
}

/** The role's inline policies and the AWS::IAM::Policy resources attached to it, resolved. */
function roleStatements(role: Located): PolicyStatement[] {
  const inline = resolvedProperties(role).Policies;
  const statements = (Array.isArray(inline) ? inline : []).flatMap((policy: unknown, index) =>
    statementsOf(isRecord(policy) ? policy.PolicyDocument : undefined, `Resources.${role.id}.Properties.Policies[${index}].PolicyDocument`),
  );
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, resource] of resourcesOfType(role.resolver.template, type)) {
      const roles = resource.Properties?.Roles;
      if (!role.resolver.exists(resource) || !Array.isArray(roles) || !roles.some((item) => referencedId(item) === role.id)) continue;
      const where = `Resources.${id}.Properties.PolicyDocument`;
      statements.push(...statementsOf(role.resolver.resolve(resource.Properties?.PolicyDocument, where), where));
    }
  }
  return statements;
}

export function identityPoolSpec(pool: Located): IdentityPoolSpec {
  const properties = resolvedProperties(pool);
  const [attachment] = referencing(pool, 'AWS::Cognito::IdentityPoolRoleAttachment', 'IdentityPoolId');
  if (!attachment) throw new TemplateError(`identity pool ${pool.id} has no AWS::Cognito::IdentityPoolRoleAttachment`);
  const [attachmentId, attachmentResource] = attachment;
  const roles = attachmentResource.Properties?.Roles;
  const authenticated = isRecord(roles) ? roles.authenticated : undefined;
  const roleId = referencedId(authenticated);
  const role = roleId === undefined ? undefined : pool.resolver.template.Resources[roleId];
  if (roleId === undefined || role?.Type !== 'AWS::IAM::Role') {
    throw new TemplateError(
      `Resources.${attachmentId}.Properties.Roles.authenticated: expected a reference to an AWS::IAM::Role of the template, ` +
        `got ${JSON.stringify(authenticated)}`,
    );
  }
  return {
    allowUnauthenticated: properties.AllowUnauthenticatedIdentities === true || properties.AllowUnauthenticatedIdentities === 'true',
    authenticatedPolicy: roleStatements({ resolver: pool.resolver, id: roleId, resource: role }),
    authenticatedRoleArn: pool.resolver.resolveString(authenticated, `Resources.${attachmentId}.Properties.Roles.authenticated`),
  };
}
