import { SinkConfigError } from '../errors.js';
import type { Sink, SinkLimits } from './types.js';

export type { PreparedRecord, Sink, SinkLimits, SendOutcome } from './types.js';

export interface SinkOptions {
  token?: string;
  gzip?: boolean;
  limits?: Partial<SinkLimits>;
}

/** The sink schemes LOG_SINK accepts. */
export const sinkSchemes = ['sqlite:', 'http:', 'https:'] as const;

/**
 * Creates the sink named by LOG_SINK's scheme. Sinks are imported on demand, so a deployed
 * bundle never loads the native SQLite module it does not use.
 */
export async function createSink(location: string, options: SinkOptions = {}): Promise<Sink> {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(location)?.[0].toLowerCase();
  if (scheme === 'sqlite:') {
    const [{ sqliteSinkConfig }, { createSqliteSink }] = await Promise.all([
      import('./sqlite/config.js'),
      import('./sqlite/index.js'),
    ]);
    return createSqliteSink(sqliteSinkConfig(location, options.limits));
  }
  if (scheme === 'http:' || scheme === 'https:') {
    const [{ httpSinkConfig }, { createHttpSink }] = await Promise.all([
      import('./http/config.js'),
      import('./http/index.js'),
    ]);
    return createHttpSink(httpSinkConfig(parseUrl(location), options));
  }
  throw new SinkConfigError(
    `LOG_SINK: unknown sink "${scheme ?? location}"; use one of ${sinkSchemes.join(', ')} (e.g. sqlite:.local/logs.db or https://collector.example/logs)`,
  );
}

function parseUrl(location: string): URL {
  try {
    return new URL(location);
  } catch (cause) {
    throw new SinkConfigError(`LOG_SINK: "${redactUserInfo(location)}" is not a valid URL`, { cause });
  }
}

/** Keeps passwords in LOG_SINK out of error messages. */
function redactUserInfo(location: string): string {
  return location.replace(/\/\/[^/@]*@/, '//***@');
}
