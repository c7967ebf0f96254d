// The LOG_SINK URL, read the same way by every sink.
import { SinkConfigError } from '../../errors.js';

/** Parses LOG_SINK as a URL, with an error that never shows a password in it. */
export function parseSinkUrl(location: string): URL {
  try {
    return new URL(location);
  } catch (cause) {
    throw new SinkConfigError(`LOG_SINK: "${redactUserInfo(location)}" is not a valid URL`, { cause });
  }
}

/** Keeps passwords in LOG_SINK out of error messages. */
export function redactUserInfo(location: string): string {
  return location.replace(/\/\/[^/@]*@/, '//***@');
}
