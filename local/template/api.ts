// The REST API of a packaged template: each method's path (walked up its resource parents), its
// authorization and the function its Lambda proxy integration invokes; the preflight answers of
// the OPTIONS mock methods; and the headers the gateway responses add.
import type { ApiSpec, CorsSpec, GatewayResponseSpec, LocalIds, RouteSpec } from '../model.js';
import { TemplateError } from './errors.js';
import type { Resolver } from './intrinsics.js';
import { isRecord, lambdaNameOf, resourcesOfType } from './template.js';

const invocationsPattern = /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;
const authorizations = new Set(['NONE', 'AWS_IAM']);

/** A header value of a mapping: `'*'` is the literal `*`. */
function unquote(value: unknown): string {
  const text = String(value);
  return text.length >= 2 && text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1) : text;
}

/** The headers of `ResponseParameters` whose keys start with `prefix`, unquoted. */
function headersOf(parameters: unknown, prefix: string): Record<string, string> {
  if (!isRecord(parameters)) return {};
  const entries = Object.entries(parameters).filter(([key]) => key.startsWith(prefix));
  return Object.fromEntries(entries.map(([key, value]) => [key.slice(prefix.length), unquote(value)]));
}

/** The path of the resource that `reference` (a method's ResourceId, a resource's ParentId) names. */
function resourcePath(resolver: Resolver, reference: unknown, where: string, depth = 0): string {
  if (isRecord(reference)) {
    const getAtt = reference['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'RootResourceId') return '/';
    const resource = typeof reference.Ref === 'string' ? resolver.template.Resources[reference.Ref] : undefined;
    if (resource?.Type === 'AWS::ApiGateway::Resource' && depth < 32) {
      const id = String(reference.Ref);
      const parent = resourcePath(resolver, resource.Properties?.ParentId, `Resources.${id}.Properties.ParentId`, depth + 1);
      const part = resolver.resolveString(resource.Properties?.PathPart, `Resources.${id}.Properties.PathPart`);
      return parent === '/' ? `/${part}` : `${parent}/${part}`;
    }
  }
  throw new TemplateError(`${where}: expected a Ref to an AWS::ApiGateway::Resource or the API's RootResourceId, got ${JSON.stringify(reference)}`);
}

function corsOf(integration: Record<string, unknown>, where: string): CorsSpec {
  const responses = integration.IntegrationResponses;
  const first = Array.isArray(responses) ? (responses[0] as unknown) : undefined;
  const headers = headersOf(isRecord(first) ? first.ResponseParameters : undefined, 'method.response.header.');
  const allowOrigin = headers['Access-Control-Allow-Origin'];
  if (allowOrigin === undefined) throw new TemplateError(`${where}: the OPTIONS mock answers no Access-Control-Allow-Origin`);
  const cors: CorsSpec = {
    allowOrigin,
    allowHeaders: headers['Access-Control-Allow-Headers'] ?? '',
    allowMethods: headers['Access-Control-Allow-Methods'] ?? '',
  };
  const credentials = headers['Access-Control-Allow-Credentials'];
  return credentials === undefined ? cors : { ...cors, allowCredentials: credentials };
}

function routeOf(method: string, path: string, authorization: string, integration: Record<string, unknown>, where: string): RouteSpec {
  if (integration.Type !== 'AWS_PROXY') {
    throw new TemplateError(
      `${where}: ${method} ${path} has a ${String(integration.Type)} integration; only Lambda proxy (AWS_PROXY) integrations run locally`,
    );
  }
  if (!authorizations.has(authorization)) {
    throw new TemplateError(`${where}: ${method} ${path} has AuthorizationType ${authorization}; locally only NONE and AWS_IAM are supported`);
  }
  const functionArn = invocationsPattern.exec(String(integration.Uri))?.[1];
  const functionName = lambdaNameOf(functionArn);
  if (functionName === undefined) {
    throw new TemplateError(`${where}: ${method} ${path} integration Uri does not invoke a Lambda function: ${String(integration.Uri)}`);
  }
  return { method, path, authorization: authorization as RouteSpec['authorization'], functionName };
}

/** The stage name of the API's deployment or stage resource, or `fallback`. */
function stageOf(resolver: Resolver, fallback: string): string {
  for (const type of ['AWS::ApiGateway::Deployment', 'AWS::ApiGateway::Stage']) {
    for (const [id, resource] of resourcesOfType(resolver.template, type)) {
      const name = resource.Properties?.StageName;
      if (name !== undefined) return resolver.resolveString(name, `Resources.${id}.Properties.StageName`);
    }
  }
  return fallback;
}

/** The API of the template (none: no routes), with `ids.apiId` as its id. */
export function apiSpec(resolver: Resolver | undefined, ids: LocalIds, defaultStage: string): ApiSpec {
  const api: ApiSpec = { apiId: ids.apiId, stage: defaultStage, routes: [], cors: {}, gatewayResponses: [] };
  if (!resolver) return api;
  api.stage = stageOf(resolver, defaultStage);
  for (const [id, resource] of resourcesOfType(resolver.template, 'AWS::ApiGateway::Method')) {
    if (!resolver.exists(resource)) continue;
    const where = `Resources.${id}.Properties`;
    const properties = resource.Properties ?? {};
    const method = resolver.resolveString(properties.HttpMethod, `${where}.HttpMethod`).toUpperCase();
    const path = resourcePath(resolver, properties.ResourceId, `${where}.ResourceId`);
    const integration = resolver.resolve(properties.Integration ?? {}, `${where}.Integration`);
    if (!isRecord(integration)) throw new TemplateError(`${where}.Integration: expected an object`);
    if (method === 'OPTIONS' && integration.Type === 'MOCK') {
      api.cors[path] = corsOf(integration, `${where}.Integration`);
      continue;
    }
    const authorization = resolver.resolveString(properties.AuthorizationType ?? 'NONE', `${where}.AuthorizationType`);
    api.routes.push(routeOf(method, path, authorization, integration, where));
  }
  for (const [id, resource] of resourcesOfType(resolver.template, 'AWS::ApiGateway::GatewayResponse')) {
    if (!resolver.exists(resource)) continue;
    const properties = resolver.resolve(resource.Properties ?? {}, `Resources.${id}.Properties`);
    if (!isRecord(properties)) continue;
    const response: GatewayResponseSpec = {
      type: String(properties.ResponseType),
      headers: headersOf(properties.ResponseParameters, 'gatewayresponse.header.'),
    };
    if (properties.StatusCode !== undefined) response.statusCode = String(properties.StatusCode);
    api.gatewayResponses.push(response);
  }
  return api;
}
