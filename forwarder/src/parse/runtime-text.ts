import { normalizeLevel } from './levels.js';
import { errorFromJson, parseJsonLine } from './json.js';
import { lineKinds, type ParsedLine } from './types.js';

// `<iso>\t<requestId>\t<LEVEL>\t<message>`: the Node.js runtime's console output.
const nodeLine = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\t([^\t]*)\t([A-Za-z]+)\t([\s\S]*)$/;
// `[LEVEL]\t<iso>\t<requestId>\t<message>`: the Python runtime's logging handler.
const pythonLine = /^\[([A-Za-z]+)\]\t(\d{4}-\d\d-\d\dT[^\t]+)\t([^\t]*)\t([\s\S]*)$/;
// The Node.js runtime's report of an error that escaped the handler.
const runtimeError = /^(Invoke Error|Unhandled Promise Rejection|Uncaught Exception)\s*\t(\{[\s\S]*\})\s*$/;

/** Parses a Node.js or Python runtime text line; undefined when the line has neither prefix. */
export function parseRuntimeText(text: string): ParsedLine | undefined {
  const first = text.charCodeAt(0);
  let match: RegExpExecArray | null = null;
  let time: string | undefined;
  let requestId: string | undefined;
  let levelName: string | undefined;
  let body: string | undefined;
  if (first >= 48 && first <= 57 && (match = nodeLine.exec(text))) {
    [, time, requestId, levelName, body] = match;
  } else if (first === 91 /* [ */ && (match = pythonLine.exec(text))) {
    [, levelName, time, requestId, body] = match;
  }
  if (!match || body === undefined) return undefined;
  const prefix: ParsedLine = {
    kind: lineKinds.app,
    level: normalizeLevel(levelName) ?? 'info',
    message: body,
    time,
    // The runtime prints "undefined" (Node) or nothing (Python) outside an invocation.
    requestId: requestId && requestId !== 'undefined' ? requestId : undefined,
  };
  return withStructuredBody(prefix, body);
}

/** A runtime line whose body is itself JSON (console.log(JSON.stringify(…)), runtime errors). */
function withStructuredBody(prefix: ParsedLine, body: string): ParsedLine {
  const failure = runtimeError.exec(body);
  if (failure?.[2]) {
    try {
      const error = errorFromJson(JSON.parse(failure[2]) as Record<string, unknown>);
      return { ...prefix, level: 'error', ...(error ? { error } : {}) };
    } catch {
      return prefix;
    }
  }
  if (body.charCodeAt(0) !== 123 /* { */) return prefix;
  const structured = parseJsonLine(body);
  if (!structured) return prefix;
  return {
    ...structured,
    time: structured.time ?? prefix.time,
    requestId: structured.requestId ?? prefix.requestId,
    // A JSON body without its own level keeps the level the runtime printed.
    level: structured.levelFound ? structured.level : prefix.level,
  };
}
