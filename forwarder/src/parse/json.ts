import { traceRoot } from '../../../shared/config.js';
import { normalizeLevel } from './levels.js';
import { isPlatformJson, parsePlatformJson } from './platform.js';
import { normalizeTime } from './time.js';
import { lineKinds, type ErrorFields, type ParsedLine } from './types.js';

/** A parsed JSON line, saying whether the logger wrote a level of its own. */
export type JsonLine = ParsedLine & { levelFound: boolean };

// Keys that JSON loggers (pino, Lambda's JSON format, Powertools, bunyan, winston, structlog)
// use for the fields that have an ECS home. The first present key of each list wins.
const messageKeys = ['msg', 'message'] as const;
const levelKeys = ['level', 'severity', 'levelname', 'log.level'] as const;
const timeKeys = ['time', 'timestamp', '@timestamp', 'ts'] as const;
const requestIdKeys = ['requestId', 'function_request_id', 'awsRequestId', 'aws_request_id', 'request_id'] as const;
const traceKeys = ['traceId', 'xray_trace_id', 'trace_id', 'AWSTraceHeader', 'traceHeader'] as const;
const errorKeys = ['err', 'error', 'exception'] as const;
const loggerKeys = ['logger', 'name', 'logger_name'] as const;
const serviceKeys = ['service', 'service.name'] as const;
const environmentKeys = ['stage', 'environment', 'env'] as const;

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

function parseAppObject(object: Record<string, unknown>): JsonLine {
  const fields: Record<string, unknown> = { ...object };
  const take = (keys: readonly string[]): unknown => {
    for (const key of keys) {
      if (key in fields) {
        const found = fields[key];
        delete fields[key];
        return found;
      }
    }
    return undefined;
  };

  const rawMessage = take(messageKeys);
  const rawLevel = take(levelKeys);
  const level = normalizeLevel(rawLevel);
  if (rawLevel !== undefined && level === undefined) fields.level = rawLevel;
  const time = normalizeTime(take(timeKeys));
  const requestId = asString(take(requestIdKeys));
  const traceValue = asString(take(traceKeys));
  const traceId = traceValue ? (traceRoot(traceValue) ?? traceRoot(`Root=${traceValue}`)) : undefined;
  const logger = asString(take(loggerKeys));
  const service = asString(take(serviceKeys));
  const environment = asString(take(environmentKeys));

  // Lambda's JSON format puts errorType/errorMessage/stackTrace at the root (Node) or under
  // `message` (an error passed to console.error); loggers use err/error.
  let error = asString(object.errorType) || asString(object.errorMessage) ? errorFromJson(object) : undefined;
  if (error) {
    delete fields.errorType;
    delete fields.errorMessage;
    delete fields.stackTrace;
  }
  const rawError = take(errorKeys);
  if (!error && rawError !== undefined) error = errorFromJson(rawError);
  // Lambda's JSON format logs console.error(err) with the error object as the message.
  if (!error && isObject(rawMessage) && ('errorType' in rawMessage || 'stackTrace' in rawMessage)) {
    error = errorFromJson(rawMessage);
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
  if (Object.keys(fields).length > 0) line.fields = fields;
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
