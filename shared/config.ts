import { ConfigError } from './errors.js';

/** The environment as read at cold start: a plain record so tests can pass their own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Returns the trimmed value of `name`, or undefined when it is unset or blank. */
export function optionalString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Returns the trimmed value of `name`; throws a {@link ConfigError} naming it when unset. */
export function requiredString(env: Env, name: string): string {
  const value = optionalString(env, name);
  if (value === undefined) throw new ConfigError(name, 'is required but not set');
  return value;
}

/** Parses an integer within `[min, max]`, or returns `fallback` when unset. */
export function integer(
  env: Env,
  name: string,
  fallback: number,
  bounds: { min?: number; max?: number } = {},
): number {
  const raw = optionalString(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

/** Parses a boolean written as true/false/1/0/yes/no, or returns `fallback` when unset. */
export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optionalString(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/** Returns the value of `name` if it is one of `allowed`, or `fallback` when unset. */
export function oneOf<const T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = optionalString(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** Compiles a regular expression from `name`, or returns undefined when unset. */
export function regex(env: Env, name: string, flags = ''): RegExp | undefined {
  const raw = optionalString(env, name);
  if (raw === undefined) return undefined;
  try {
    return new RegExp(raw, flags);
  } catch (cause) {
    throw new ConfigError(name, `is not a valid regular expression: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/**
 * The X-Ray trace id of the current invocation. The Lambda runtime sets `_X_AMZN_TRACE_ID`
 * before each invocation (`Root=1-…;Parent=…;Sampled=1`); the root is the trace id.
 */
export function currentTraceId(env: Env = process.env): string | undefined {
  return traceRoot(env._X_AMZN_TRACE_ID);
}

/** Extracts `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy` from an X-Amzn-Trace-Id header value. */
export function traceRoot(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/i.exec(header);
  return match?.[1];
}
