import { describe, expect, it } from 'vitest';
import { displayTime, firstLine, formatJson, formatTable, functionWidthOf, type LogRow } from '../../tools/logs/format.js';

/** A row as the store returns it; overrides make the variants. */
function row(overrides: Partial<LogRow> = {}): LogRow {
  const base = {
    rowid: 1,
    timestamp: '2026-11-23T10:00:00.123Z',
    level: 'info',
    function: 'auth-service-dev-hello',
    request_id: '0b7e9c4d-1f2a-4b3c-8d5e-6f7a8b9c0d1e',
    trace_id: null,
    service: 'auth-service',
    message: 'signed in',
    ...overrides,
  };
  return { ...base, record: JSON.stringify({ '@timestamp': base.timestamp, message: base.message, log: { level: base.level } }), ...overrides };
}

describe('formatTable', () => {
  it('prints time, level, function, short request id and message on one aligned line', () => {
    const lines = formatTable([row(), row({ level: 'error', function: 'api', request_id: null, message: 'boom' })], { color: false });

    expect(lines).toEqual([
      '2026-11-23T10:00:00.123Z  info   auth-service-dev-hello  0b7e9c4d  signed in',
      '2026-11-23T10:00:00.123Z  error  api                     -         boom',
    ]);
  });

  it('shows only the first line of a multi-line message', () => {
    const [line] = formatTable([row({ message: 'Error: boom\n    at handler (/var/task/index.js:1:1)' })], { color: false });

    expect(line).toMatch(/ Error: boom$/);
  });

  it('cuts each line to the terminal width with an ellipsis', () => {
    const lines = formatTable([row({ message: 'x'.repeat(500) }), row({ message: 'short' })], { color: false, width: 100 });

    expect(lines[0]).toHaveLength(100);
    expect(lines[0]?.endsWith('x…')).toBe(true);
    expect(lines[1]?.endsWith('short')).toBe(true);
  });

  it('colours only the level when asked, keeping the columns aligned', () => {
    const [line] = formatTable([row({ level: 'warn' })], { color: true });

    expect(line).toBe('2026-11-23T10:00:00.123Z  \u001b[33mwarn \u001b[0m  auth-service-dev-hello  0b7e9c4d  signed in');
  });

  it('writes no escape codes when colour is off', () => {
    const lines = formatTable([row({ level: 'fatal' }), row({ level: 'trace' })], { color: false });

    expect(lines.join('')).not.toContain('\u001b');
  });

  it('neutralises control characters a log line could use to take over the terminal', () => {
    const [line] = formatTable([row({ message: 'a\u001b[2Jb\tc\u0007' })], { color: false });

    expect(line).toMatch(/ a\ufffd\[2Jb c\ufffd$/);
  });

  it('cuts a long function name to the given column width', () => {
    const [line] = formatTable([row({ function: 'a-very-long-function-name' })], { color: false, functionWidth: 10 });

    expect(line).toContain('  a-very-lo…  0b7e9c4d  ');
  });
});

describe('functionWidthOf', () => {
  it('fits the longest name, at most 32 characters', () => {
    expect(functionWidthOf([row({ function: 'api' }), row({ function: null })])).toBe(3);
    expect(functionWidthOf([row({ function: 'f'.repeat(80) })])).toBe(32);
  });
});

describe('displayTime', () => {
  it('shows stored times with exactly milliseconds', () => {
    expect(displayTime('2026-11-23T10:00:00.123456789Z')).toBe('2026-11-23T10:00:00.123Z');
    expect(displayTime('2026-11-23T10:00:00Z')).toBe('2026-11-23T10:00:00.000Z');
    expect(displayTime('2026-11-23T10:00:00.5Z')).toBe('2026-11-23T10:00:00.500Z');
  });
});

describe('firstLine', () => {
  it('stops at the first CR or LF', () => {
    expect(['one\ntwo', 'one\r\ntwo', 'one\rtwo', '', '\nsecond'].map(firstLine)).toEqual(['one', 'one', 'one', '', '']);
  });
});

describe('formatJson', () => {
  it('prints each stored record unchanged, one per line', () => {
    const rows = [row(), row({ rowid: 2, message: 'two' })];

    const lines = formatJson(rows);

    expect(lines).toEqual(rows.map((each) => each.record));
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['signed in', 'two']);
  });
});
