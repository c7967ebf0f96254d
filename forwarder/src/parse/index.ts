import { parseJsonLine } from './json.js';
import { normalizeLevel } from './levels.js';
import { parsePlatformText } from './platform.js';
import { parseRuntimeText } from './runtime-text.js';
import { lineKinds, type ParsedLine } from './types.js';

export type { ParsedLine } from './types.js';

/**
 * Parses one CloudWatch log event message into a {@link ParsedLine}. Tries the formats from the
 * most to the least specific; anything unrecognised is plain text at level info. Never throws.
 */
export function parseLine(raw: string): ParsedLine {
  // Lambda ends most lines with a newline; a multi-line message keeps its inner newlines.
  // Some runtimes write `\r` where a line breaks inside one event.
  const text = (raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw).trimEnd();
  if (text.charCodeAt(0) === 123 /* { */) {
    const json = parseJsonLine(text);
    if (json) {
      const { levelFound, ...line } = json;
      return line;
    }
  }
  return (
    parsePlatformText(text) ??
    parseRuntimeText(text) ?? { kind: lineKinds.app, level: plainTextLevel(text), message: text }
  );
}

/** Plain text has no level field; a leading level word (`ERROR: …`, `[WARN] …`) is honoured. */
function plainTextLevel(text: string): ParsedLine['level'] {
  const word = /^\[?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\b/i.exec(text)?.[1];
  return normalizeLevel(word) ?? 'info';
}
