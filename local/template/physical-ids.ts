// What `Ref` and `Fn::GetAtt` give for each resource type when the stack runs locally: names
// from the template where it sets them, the local ids of the pools and the API, and ARNs built
// as AWS formats them for the local account and region.
import type { LocalIds } from '../model.js';
import type { Resolver, ResourceLookup } from './intrinsics.js';
import type { CfnResource } from './template.js';

/**
 * A name the template leaves to CloudFormation: CloudFormation appends a random suffix; locally
 * the name must stay the same across runs, so it is `<stack>-<logical id>`.
 */
function generatedName(logicalId: string, resolver: Resolver): string {
  return `${resolver.pseudo.stackName}-${logicalId}`;
}

/** The resource's own name property, resolved, or a generated stable name. */
function nameOf(property: string, logicalId: string, resource: CfnResource, resolver: Resolver): string {
  const value = resource.Properties?.[property];
  if (value === undefined) return generatedName(logicalId, resolver);
  return resolver.resolveString(value, `Resources.${logicalId}.Properties.${property}`);
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
function arn(resolver: Resolver, service: string, resource: string, regional = true): string {
  const { partition, region, accountId } = resolver.pseudo;
  return `arn:${partition}:${service}:${regional ? region : ''}:${accountId}:${resource}`;
}

type Ref = (logicalId: string, resource: CfnResource, resolver: Resolver) => string;
type Attributes = Record<string, (logicalId: string, resource: CfnResource, resolver: Resolver) => unknown>;

interface TypeRule {
  ref: Ref;
  attributes: Attributes;
}

function rules(ids: LocalIds): Record<string, TypeRule> {
  const functionName: Ref = (id, resource, r) => nameOf('FunctionName', id, resource, r);
  const tableName: Ref = (id, resource, r) => nameOf('TableName', id, resource, r);
  const roleName: Ref = (id, resource, r) => nameOf('RoleName', id, resource, r);
  const logGroupName: Ref = (id, resource, r) => nameOf('LogGroupName', id, resource, r);
  const queueName: Ref = (id, resource, r) => nameOf('QueueName', id, resource, r);
  const queueUrl: Ref = (id, resource, r) =>
    `https://sqs.${r.pseudo.region}.${r.pseudo.urlSuffix}/${r.pseudo.accountId}/${queueName(id, resource, r)}`;
  const poolProvider = (r: Resolver) => `cognito-idp.${r.pseudo.region}.${r.pseudo.urlSuffix}/${ids.userPoolId}`;
  return {
    'AWS::Lambda::Function': {
      ref: functionName,
      attributes: { Arn: (id, resource, r) => arn(r, 'lambda', `function:${functionName(id, resource, r)}`) },
    },
    'AWS::DynamoDB::Table': {
      ref: tableName,
      attributes: { Arn: (id, resource, r) => arn(r, 'dynamodb', `table/${tableName(id, resource, r)}`) },
    },
    'AWS::IAM::Role': {
      ref: roleName,
      attributes: {
        Arn: (id, resource, r) => {
          const path = resource.Properties?.Path === undefined ? '/' : r.resolveString(resource.Properties.Path, `Resources.${id}.Properties.Path`);
          return arn(r, 'iam', `role${path}${roleName(id, resource, r)}`, false);
        },
      },
    },
    'AWS::Cognito::UserPool': {
      ref: () => ids.userPoolId,
      attributes: {
        Arn: (_id, _resource, r) => arn(r, 'cognito-idp', `userpool/${ids.userPoolId}`),
        ProviderName: (_id, _resource, r) => poolProvider(r),
        ProviderURL: (_id, _resource, r) => `https://${poolProvider(r)}`,
        UserPoolId: () => ids.userPoolId,
      },
    },
    'AWS::Cognito::UserPoolClient': {
      ref: () => ids.userPoolClientId,
      attributes: { ClientId: () => ids.userPoolClientId },
    },
    'AWS::Cognito::IdentityPool': {
      ref: () => ids.identityPoolId,
      attributes: {
        Id: () => ids.identityPoolId,
        Name: (id, resource, r) => nameOf('IdentityPoolName', id, resource, r),
      },
    },
    'AWS::ApiGateway::RestApi': {
      ref: () => ids.apiId,
      attributes: { RestApiId: () => ids.apiId, RootResourceId: () => `${ids.apiId}-root` },
    },
    'AWS::Logs::LogGroup': {
      ref: logGroupName,
      attributes: { Arn: (id, resource, r) => arn(r, 'logs', `log-group:${logGroupName(id, resource, r)}:*`) },
    },
    'AWS::SQS::Queue': {
      ref: queueUrl,
      attributes: {
        Arn: (id, resource, r) => arn(r, 'sqs', queueName(id, resource, r)),
        QueueName: queueName,
        QueueUrl: queueUrl,
      },
    },
    'AWS::S3::Bucket': {
      ref: (id, resource, r) => nameOf('BucketName', id, resource, r).toLowerCase(),
      attributes: {
        Arn: (id, resource, r) => `arn:${r.pseudo.partition}:s3:::${nameOf('BucketName', id, resource, r).toLowerCase()}`,
      },
    },
  };
}

/** Ref and GetAtt of the resource types the offline stack runs, against its local ids. */
export function localResourceLookup(ids: LocalIds): ResourceLookup {
  const byType = rules(ids);
  const rule = (type: string) => (Object.hasOwn(byType, type) ? byType[type] : undefined);
  return {
    ref: (logicalId, resource, resolver) => rule(resource.Type)?.ref(logicalId, resource, resolver),
    getAtt: (logicalId, resource, attribute, resolver) => {
      const attributes = rule(resource.Type)?.attributes;
      if (!attributes || !Object.hasOwn(attributes, attribute)) return undefined;
      return attributes[attribute]?.(logicalId, resource, resolver);
    },
  };
}
