/** The levels a record can carry, lowest first (ECS `log.level`). */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof logLevels)[number];

// A Map, not an object: a level named `constructor` or `__proto__` must not find Object's members.
const aliases: ReadonlyMap<string, LogLevel> = new Map(Object.entries({
  trace: 'trace',
  silly: 'trace',
  finest: 'trace',
  debug: 'debug',
  verbose: 'debug',
  fine: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  log: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  severe: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  panic: 'fatal',
} satisfies Record<string, LogLevel>));

/**
 * Maps a logger's level to one of {@link logLevels}: pino's numbers (10 trace … 60 fatal),
 * syslog-ish and runtime names in any case. Unknown values give undefined.
 */
export function normalizeLevel(value: unknown): LogLevel | undefined {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return undefined;
    if (value <= 10) return 'trace';
    if (value <= 20) return 'debug';
    if (value <= 30) return 'info';
    if (value <= 40) return 'warn';
    if (value <= 50) return 'error';
    return 'fatal';
  }
  if (typeof value !== 'string') return undefined;
  return aliases.get(value.toLowerCase());
}

/** The position of a level, for "at least" comparisons. */
export function levelRank(level: LogLevel): number {
  return logLevels.indexOf(level);
}
