// Resource matching as API Gateway does it for a REST API stage: literal segments win over
// `{param}`, which wins over a greedy `{proxy+}`; a method wins over `ANY`.
import { createHash } from 'node:crypto';
import type { ApiSpec, CorsSpec, RouteSpec } from '../model.js';

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

interface Resource {
  path: string;
  /** API Gateway's id for the resource: 6 lower-case characters, stable across runs. */
  id: string;
  segments: Segment[];
  methods: Map<string, RouteSpec>;
  cors?: CorsSpec;
}

export interface RouteTable {
  readonly resources: readonly Resource[];
}

/** What a request within the stage resolves to. */
export type RouteMatch =
  | {
      kind: 'route';
      route: RouteSpec;
      resourcePath: string;
      resourceId: string;
      pathParameters: Record<string, string> | null;
    }
  | { kind: 'preflight'; cors: CorsSpec }
  | { kind: 'none' };

// Lower ranks are more specific.
const RANK = { literal: 0, param: 1, greedy: 2 } as const;

const splitPath = (path: string): string[] => (path === '/' || path === '' ? [] : path.replace(/^\//, '').split('/'));

function parseSegments(path: string): Segment[] {
  return splitPath(path).map((part): Segment => {
    const param = /^\{([^{}]+?)(\+)?\}$/.exec(part);
    if (!param) return { kind: 'literal', value: part };
    return param[2] ? { kind: 'greedy', name: param[1] ?? '' } : { kind: 'param', name: param[1] ?? '' };
  });
}

const resourceId = (apiId: string, path: string): string =>
  BigInt(`0x${createHash('sha256').update(`${apiId}${path}`).digest('hex').slice(0, 12)}`)
    .toString(36)
    .padStart(6, '0')
    .slice(-6);

/** Indexes the API's methods and CORS preflights by resource path. */
export function compileRoutes(api: Pick<ApiSpec, 'apiId' | 'routes' | 'cors'>): RouteTable {
  const byPath = new Map<string, Resource>();
  const resourceOf = (path: string): Resource => {
    let resource = byPath.get(path);
    if (!resource) {
      resource = { path, id: resourceId(api.apiId, path), segments: parseSegments(path), methods: new Map() };
      byPath.set(path, resource);
    }
    return resource;
  };
  for (const route of api.routes) resourceOf(route.path).methods.set(route.method.toUpperCase(), route);
  for (const [path, cors] of Object.entries(api.cors)) resourceOf(path).cors = cors;
  return { resources: [...byPath.values()] };
}

const decodeSegment = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/** Path parameters of `parts` (decoded) for `segments`, or undefined when they do not match. */
function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index);
      // `{proxy+}` needs at least one non-empty segment.
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = rest.map(decodeSegment).join('/');
      return params;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (decodeSegment(part) !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = decodeSegment(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

const compareSpecificity = (a: Resource, b: Resource): number => {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i += 1) {
    const left = a.segments[i];
    const right = b.segments[i];
    if (!left || !right) return left ? -1 : 1;
    const diff = RANK[left.kind] - RANK[right.kind];
    if (diff !== 0) return diff;
  }
  return 0;
};

/**
 * Resolves `method` on `path` (the request path within the stage, as received): the route, a CORS
 * preflight (`OPTIONS` on a resource with CORS and no OPTIONS method of its own), or nothing.
 */
export function matchRoute(table: RouteTable, method: string, path: string): RouteMatch {
  const parts = splitPath(path);
  const candidates = table.resources
    .map((resource) => ({ resource, params: matchSegments(resource.segments, parts) }))
    .filter((c): c is { resource: Resource; params: Record<string, string> } => c.params !== undefined)
    .sort((a, b) => compareSpecificity(a.resource, b.resource));
  const best = candidates[0];
  if (!best) return { kind: 'none' };
  const { resource, params } = best;
  const upper = method.toUpperCase();
  const route = resource.methods.get(upper) ?? resource.methods.get('ANY');
  if (route && !(upper === 'OPTIONS' && !resource.methods.has('OPTIONS') && resource.cors)) {
    return {
      kind: 'route',
      route,
      resourcePath: resource.path,
      resourceId: resource.id,
      pathParameters: Object.keys(params).length === 0 ? null : params,
    };
  }
  if (upper === 'OPTIONS' && resource.cors) return { kind: 'preflight', cors: resource.cors };
  return { kind: 'none' };
}
