import { traceRoot } from '../../../shared/config.js';
import { normalizeLevel } from './levels.js';
import { isPlatformJson, parsePlatformJson } from './platform.js';
import { normalizeTime } from './time.js';
import { lineKinds, type ErrorFields, type ParsedLine } from './types.js';

/** A parsed JSON line, saying whether the logger wrote a level of its own. */
export type JsonLine = ParsedLine & { levelFound: boolean };

// Keys that JSON loggers (pino, Lambda's JSON format, Powertools, bunyan, winston, structlog)
// use for the fields that have an ECS home, by role; within a role the earlier key wins.
const roleKeys = {
  message: ['msg', 'message'],
  level: ['level', 'severity', 'levelname', 'log.level'],
  time: ['time', 'timestamp', '@timestamp', 'ts'],
  requestId: ['requestId', 'function_request_id', 'awsRequestId', 'aws_request_id', 'request_id'],
  trace: ['traceId', 'xray_trace_id', 'trace_id', 'AWSTraceHeader', 'traceHeader'],
  error: ['err', 'error', 'exception'],
  logger: ['logger', 'name', 'logger_name'],
  service: ['service', 'service.name'],
  environment: ['stage', 'environment', 'env'],
} as const;
type Role = keyof typeof roleKeys;

/** key → [role, rank]: one lookup per key of a line instead of one per candidate key. */
const keyRoles = new Map<string, readonly [Role, number]>(
  (Object.entries(roleKeys) as Array<[Role, readonly string[]]>).flatMap(([role, keys]) =>
    keys.map((key, rank) => [key, [role, rank]] as const),
  ),
);
const lambdaErrorKeys = new Set(['errorType', 'errorMessage', 'stackTrace']);

/**
 * Parses a line that is a JSON object: Lambda's JSON log format (platform and app records) or
 * any JSON logger. Fields without an ECS home are kept under `fields`, never merged into the
 * record's root. Returns undefined when the line is not a JSON object.
 */
export function parseJsonLine(text: string): JsonLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const object = value as Record<string, unknown>;
  if (isPlatformJson(object)) {
    return { ...parsePlatformJson(object), time: normalizeTime(object.time), levelFound: true };
  }
  return parseAppObject(object);
}

interface Found {
  rank: number;
  key: string;
  value: unknown;
}

function parseAppObject(object: Record<string, unknown>): JsonLine {
  // One pass over the keys: each role keeps its best-ranked key; everything else (and keys a
  // better one outranked) goes to `fields`. No `delete` (it would push V8 into dictionary mode)
  // and no closures (this runs once per JSON line).
  const found: Partial<Record<Role, Found>> = {};
  const fields: Record<string, unknown> = {};
  let hasFields = false;
  const hasLambdaError = typeof object.errorType === 'string' || typeof object.errorMessage === 'string';
  for (const key in object) {
    const value = object[key];
    const role = keyRoles.get(key);
    if (role) {
      const current = found[role[0]];
      if (!current || role[1] < current.rank) {
        if (current) {
          setField(fields, current.key, current.value);
          hasFields = true;
        }
        found[role[0]] = { rank: role[1], key, value };
        continue;
      }
    } else if (hasLambdaError && lambdaErrorKeys.has(key)) continue;
    setField(fields, key, value);
    hasFields = true;
  }

  const rawMessage = found.message?.value;
  const level = normalizeLevel(found.level?.value);
  const time = found.time ? normalizeTime(found.time.value) : undefined;
  const requestId = asString(found.requestId?.value);
  const traceValue = asString(found.trace?.value);
  const traceId = traceValue ? (traceRoot(traceValue) ?? traceRoot(`Root=${traceValue}`)) : undefined;
  const logger = asString(found.logger?.value);
  const service = asString(found.service?.value);
  const environment = asString(found.environment?.value);

  // Lambda's JSON format puts errorType/errorMessage/stackTrace at the root (Node) or under
  // `message` (an error passed to console.error); loggers use err/error.
  let error = hasLambdaError ? errorFromJson(object) : undefined;
  const loggedError = !error && found.error ? errorFromJson(found.error.value) : undefined;
  error ??= loggedError;
  if (!error && isObject(rawMessage) && ('errorType' in rawMessage || 'stackTrace' in rawMessage)) {
    error = errorFromJson(rawMessage);
  }

  // A value that could not be used where its key points stays in `fields`: nothing is lost.
  const unused: Array<Found | undefined> = [
    level === undefined ? found.level : undefined,
    time === undefined ? found.time : undefined,
    requestId === undefined ? found.requestId : undefined,
    traceId === undefined ? found.trace : undefined,
    logger === undefined ? found.logger : undefined,
    service === undefined ? found.service : undefined,
    environment === undefined ? found.environment : undefined,
    found.error && !loggedError ? found.error : undefined,
  ];
  for (const entry of unused) {
    if (entry) {
      setField(fields, entry.key, entry.value);
      hasFields = true;
    }
  }

  const message = renderMessage(rawMessage, error);
  const line: JsonLine = {
    kind: lineKinds.app,
    level: level ?? (error ? 'error' : 'info'),
    levelFound: level !== undefined,
    message,
  };
  if (time) line.time = time;
  if (requestId) line.requestId = requestId;
  if (traceId) line.traceId = traceId;
  if (logger) line.logger = logger;
  if (service) line.service = service;
  if (environment) line.environment = environment;
  if (error) line.error = error;
  if (hasFields) line.fields = fields;
  return line;
}

/**
 * Reads an error of the common shapes (Lambda's errorType/errorMessage/stackTrace, pino's
 * type/message/stack, a plain string) into ECS `error.*`; undefined when it holds none.
 */
export function errorFromJson(value: unknown): ErrorFields | undefined {
  if (typeof value === 'string') return value === '' ? undefined : { message: value };
  if (!isObject(value)) return undefined;
  const type = asString(value.errorType) ?? asString(value.type) ?? asString(value.name);
  const message = asString(value.errorMessage) ?? asString(value.message);
  const stack = value.stackTrace ?? value.stack ?? value.stack_trace;
  const stackTrace = Array.isArray(stack) ? stack.map(String).join('\n') : asString(stack);
  const error: ErrorFields = {};
  if (type) error.type = type;
  if (message) error.message = message;
  if (stackTrace) error.stack_trace = stackTrace;
  return Object.keys(error).length > 0 ? error : undefined;
}

function renderMessage(raw: unknown, error: ErrorFields | undefined): string {
  if (typeof raw === 'string') return raw;
  if (raw === undefined || raw === null) return error?.message ?? '';
  if (isObject(raw) && error) return [error.type, error.message].filter(Boolean).join(': ');
  return JSON.stringify(raw);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `target[key] = value`, except that a `__proto__` key stays a field instead of replacing the prototype. */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
