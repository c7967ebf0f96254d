// The template's user pool and web client, made in cognito-local with the stack's own ids.
// cognito-local's CreateUserPool API would name the pool `local_<8 chars>`; its CognitoService
// takes the whole pool instead, id included, and keeps it in `<dataDir>/<poolId>.json`, which
// it reads back at every start. Created at the first start and kept afterwards, users and all.
import { randomBytes } from 'node:crypto';
import type { AppClient } from 'cognito-local/lib/services/appClient.js';
import { USER_POOL_AWS_DEFAULTS, type CognitoService } from 'cognito-local/lib/services/cognitoService.js';
import type { Context } from 'cognito-local/lib/services/context.js';
import type { UserPool } from 'cognito-local/lib/services/userPoolService.js';
import type { LocalIds, StackSettings, UserPoolSpec } from '../model.js';

type SchemaAttribute = NonNullable<UserPool['SchemaAttributes']>[number];

/** The triggers cognito-local can invoke (CustomEmailSender would need KMS). */
export const supportedTriggers = ['CustomMessage', 'PostAuthentication', 'PostConfirmation', 'PreSignUp', 'PreTokenGeneration', 'UserMigration'] as const;
export type SupportedTrigger = (typeof supportedTriggers)[number];

/**
 * cognito-local's trigger configuration from the template's: trigger → deployed function name.
 * A trigger it cannot run fails the start, rather than a local pool silently skipping a check the
 * deployed one makes.
 */
export function triggerFunctions(triggers: Record<string, string>): Partial<Record<SupportedTrigger, string>> {
  const unsupported = Object.keys(triggers).filter((name) => !(supportedTriggers as readonly string[]).includes(name));
  if (unsupported.length > 0) throw new Error(`cognito-local cannot run the user pool trigger(s) ${unsupported.join(', ')}; it runs ${supportedTriggers.join(', ')}`);
  return triggers;
}

/** Makes the pool and its client unless an earlier start made them. */
export async function ensureUserPool(ctx: Context, cognito: CognitoService, spec: UserPoolSpec, ids: LocalIds, settings: StackSettings): Promise<void> {
  const pools = await cognito.listUserPools(ctx);
  if (!pools.some((pool) => pool.Id === ids.userPoolId)) {
    await cognito.createUserPool(ctx, userPoolOptions(spec, ids, settings, new Date()));
  }
  if (!(await cognito.getAppClient(ctx, ids.userPoolClientId))) {
    const pool = await cognito.getUserPool(ctx, ids.userPoolId);
    await pool.saveAppClient(ctx, appClient(spec, ids, new Date()));
  }
}

/** The pool as DescribeUserPool would show it, from the template's properties. */
export function userPoolOptions(spec: UserPoolSpec, ids: LocalIds, settings: StackSettings, now: Date): UserPool {
  // LambdaConfig holds the template's (unresolved) function ARNs; spec.triggers has the names.
  const { UserPoolName, Schema, LambdaConfig: _lambdaConfig, ...properties } = spec.properties;
  const functionArn = (name: string) => `arn:aws:lambda:${settings.region}:${settings.accountId}:function:${name}`;
  return {
    ...(properties as Partial<UserPool>),
    Id: ids.userPoolId,
    Name: typeof UserPoolName === 'string' ? UserPoolName : ids.userPoolId,
    Arn: `arn:aws:cognito-idp:${settings.region}:${settings.accountId}:userpool/${ids.userPoolId}`,
    LambdaConfig: Object.fromEntries(Object.entries(spec.triggers).map(([trigger, name]) => [trigger, functionArn(name)])),
    SchemaAttributes: schemaAttributes(Array.isArray(Schema) ? (Schema as SchemaAttribute[]) : []),
    CreationDate: now,
    LastModifiedDate: now,
  };
}

// As cognito-local's CreateUserPool does it: the standard attributes in their usual order, each
// overridden by the template's entry of the same name, then the template's own as `custom:`.
// (The order matters: cognito-local merges the list into its defaults index by index.)
function schemaAttributes(schema: SchemaAttribute[]): SchemaAttribute[] {
  const standard = USER_POOL_AWS_DEFAULTS.SchemaAttributes ?? [];
  const byName = new Map(schema.map((attribute) => [attribute.Name, attribute]));
  const custom = schema
    .filter((attribute) => !standard.some((known) => known.Name === attribute.Name))
    .map((attribute) => ({ Mutable: true, Required: false, DeveloperOnlyAttribute: false, AttributeDataType: 'String', ...attribute, Name: `custom:${attribute.Name}` }));
  return [...standard.map((attribute) => ({ ...attribute, ...byName.get(attribute.Name) })), ...custom];
}

const clientProperties = [
  'AccessTokenValidity',
  'AllowedOAuthFlows',
  'AllowedOAuthFlowsUserPoolClient',
  'AllowedOAuthScopes',
  'CallbackURLs',
  'DefaultRedirectURI',
  'EnableTokenRevocation',
  'ExplicitAuthFlows',
  'IdTokenValidity',
  'LogoutURLs',
  'PreventUserExistenceErrors',
  'ReadAttributes',
  'RefreshTokenValidity',
  'SupportedIdentityProviders',
  'WriteAttributes',
] as const;

/** The app client as DescribeUserPoolClient would show it, from the template's properties. */
export function appClient(spec: UserPoolSpec, ids: LocalIds, now: Date): AppClient {
  const properties = spec.client.properties;
  const units = (properties.TokenValidityUnits ?? {}) as NonNullable<AppClient['TokenValidityUnits']>;
  return {
    ...(Object.fromEntries(clientProperties.filter((key) => properties[key] !== undefined).map((key) => [key, properties[key]])) as Partial<AppClient>),
    UserPoolId: ids.userPoolId,
    ClientId: ids.userPoolClientId,
    ClientName: typeof properties.ClientName === 'string' ? properties.ClientName : ids.userPoolClientId,
    ...(properties.GenerateSecret === true ? { ClientSecret: randomBytes(39).toString('base64url').slice(0, 51).toLowerCase() } : {}),
    // AWS's defaults where the template says nothing: ID and access tokens for an hour, refresh
    // tokens for 30 days (cognito-local's own would be 24 hours, 24 hours and 7 days).
    IdTokenValidity: (properties.IdTokenValidity as number | undefined) ?? 1,
    AccessTokenValidity: (properties.AccessTokenValidity as number | undefined) ?? 1,
    RefreshTokenValidity: (properties.RefreshTokenValidity as number | undefined) ?? 30,
    TokenValidityUnits: { AccessToken: units.AccessToken ?? 'hours', IdToken: units.IdToken ?? 'hours', RefreshToken: units.RefreshToken ?? 'days' },
    CreationDate: now,
    LastModifiedDate: now,
  };
}
