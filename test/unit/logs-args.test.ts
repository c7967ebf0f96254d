import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../tools/errors.js';
import { parseDuration, parseLogsArgs, parseTimeBound, type ArgsContext, type SearchCommand } from '../../scripts/logs/args.js';
import { thrownBy } from '../helpers/thrown.js';

const now = new Date('2026-11-23T10:00:00.000Z');
const context: ArgsContext = { now, cwd: '/srv/app' };
const search = (argv: string[], overrides: Partial<ArgsContext> = {}) =>
  parseLogsArgs(argv, { ...context, ...overrides }) as SearchCommand;

describe('parseLogsArgs', () => {
  it('reads every filter of a search', () => {
    const argv = ['search', 'token', 'refresh', '--level', 'warn', '--function', 'auth-service-dev-hello', '--request', 'r-1', '--trace', '1-abc', '--service', 'auth-service', '--limit', '20', '--json'];

    const command = search(argv);

    expect(command).toEqual({
      command: 'search',
      filters: { text: 'token refresh', level: 'warn', function: 'auth-service-dev-hello', request: 'r-1', trace: '1-abc', service: 'auth-service' },
      limit: 20,
      db: path.resolve('/srv/app', '.local/logs.db'),
      json: true,
      follow: false,
    });
  });

  it('searches everything, 100 rows, as a table when given only the command', () => {
    const command = search(['search']);

    expect(command).toMatchObject({ filters: {}, limit: 100, json: false, follow: false });
  });

  it('takes text after -- literally, even when it looks like a flag', () => {
    const command = search(['search', '--level', 'error', '--', '--not-a-flag', 'a-b']);

    expect(command.filters).toEqual({ level: 'error', text: '--not-a-flag a-b' });
  });

  it('accepts level aliases such as warning and critical', () => {
    expect(search(['search', '--level', 'WARNING']).filters.level).toBe('warn');
    expect(search(['search', '--level', 'critical']).filters.level).toBe('fatal');
  });

  it('turns --since and --until into UTC bounds', () => {
    const command = search(['search', '--since', '2h', '--until', '2026-11-23T09:30']);

    expect(command.filters).toEqual({ since: '2026-11-23T08:00:00.000Z', until: '2026-11-23T09:30:00.000Z' });
  });

  it('resolves --db against the working directory', () => {
    expect(search(['search', '--db', 'data/x.db']).db).toBe(path.resolve('/srv/app', 'data/x.db'));
  });

  it('defaults to the file of a sqlite: LOG_SINK', () => {
    expect(search(['search'], { logSink: 'sqlite:var/logs.db' }).db).toBe(path.resolve('/srv/app', 'var/logs.db'));
    expect(search(['search'], { logSink: 'sqlite:///tmp/logs.db' }).db).toBe('/tmp/logs.db');
  });

  it('falls back to .local/logs.db when LOG_SINK is not a sqlite: sink', () => {
    expect(search(['search'], { logSink: 'https://collector.example.com/logs' }).db).toBe(path.resolve('/srv/app', '.local/logs.db'));
  });

  it('keeps --follow and asks for help with --help', () => {
    expect(search(['search', '--follow']).follow).toBe(true);
    expect(parseLogsArgs(['--help'], context)).toEqual({ command: 'help' });
  });

  it.each([
    [['search', '--level', 'loud'], '--level must be one of trace, debug, info, warn, error, fatal, got "loud"'],
    [['search', '--since', 'yesterday'], '--since must be a duration like 15m, 2h, 1d or an ISO time'],
    [['search', '--until', '10 minutes'], '--until must be a duration'],
    [['search', '--color'], 'unknown flag --color'],
    [['search', '--limit', '0'], '--limit must be a whole number from 1 to 100000, got "0"'],
    [['search', '--limit', '1e3'], '--limit must be a whole number'],
    [['search', '--function', ' '], '--function needs a value'],
    [['search', '--follow', '--until', '1h'], '--until cannot be combined with --follow'],
    [['find', 'x'], 'unknown command "find"'],
    [[], 'missing command'],
  ])('refuses %j with a one-line usage error', (argv, message) => {
    const error = thrownBy(() => parseLogsArgs(argv, context));

    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
  });
});

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days and weeks', () => {
    expect(['90s', '15m', '2h', '1d', '1w'].map(parseDuration)).toEqual([90_000, 900_000, 7_200_000, 86_400_000, 604_800_000]);
  });

  it('gives undefined for anything that is not a number and a unit', () => {
    expect(['', '15', 'm', '1.5h', '-2h', '2 h', '2H', '2026-11-23'].map(parseDuration)).toEqual(Array(8).fill(undefined));
  });
});

describe('parseTimeBound', () => {
  it('counts a duration back from now', () => {
    expect(parseTimeBound('--since', '15m', now)).toBe('2026-11-23T09:45:00.000Z');
  });

  it('reads ISO dates and times, in UTC unless they carry an offset', () => {
    expect(parseTimeBound('--since', '2026-11-23', now)).toBe('2026-11-23T00:00:00.000Z');
    expect(parseTimeBound('--since', '2026-11-23T08:15:30', now)).toBe('2026-11-23T08:15:30.000Z');
    expect(parseTimeBound('--since', '2026-11-23 08:15', now)).toBe('2026-11-23T08:15:00.000Z');
    expect(parseTimeBound('--since', '2026-11-23T08:15:30.25+02:00', now)).toBe('2026-11-23T06:15:30.250Z');
  });

  it('refuses impossible dates', () => {
    expect(() => parseTimeBound('--since', '2026-13-40', now)).toThrow('--since must be a duration');
    expect(() => parseTimeBound('--since', '2026-02-30T10:00Z', now)).toThrow('--since must be a duration');
    expect(() => parseTimeBound('--until', '2026-11-23T25:00', now)).toThrow('--until must be a duration');
  });
});
