import { Writable } from 'node:stream';
import { createLogger, type Logger, type LoggerOptions } from '../../shared/logger.js';

/** One JSON log line as pino wrote it. */
export type LogLine = Record<string, unknown>;

/**
 * The project's own logger (shared/logger.ts: redaction, base fields) writing into memory, as the
 * tests' stand-in for stdout: every line is kept, parsed, in `lines`.
 */
export function memoryLogger(options: Partial<Omit<LoggerOptions, 'destination'>> = {}): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as LogLine);
      done();
    },
  });
  return { logger: createLogger({ service: 'auth-service', stage: 'test', ...options, destination }), lines };
}
