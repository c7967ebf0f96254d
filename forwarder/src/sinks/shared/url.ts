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

/** What a store named by `<store>+https://host` (or `+http`) with a token of its own is reached at. */
export interface TokenStoreEndpoint {
  /** `https` or `http`. */
  scheme: string;
  token: string;
  /** The URL's query parameters, each known to the store and not empty. */
  parameters: Map<string, string>;
}

/**
 * Checks the URL of a store that authenticates with a token only (Splunk HEC, Datadog):
 * `<store>+https:` or `+http:`, a host, no user info, only the parameters the store knows, and
 * the token from the secret or LOG_SINK_TOKEN. `credential` names the token ("HEC token").
 */
export function tokenStoreEndpoint(
  sink: URL,
  token: string | undefined,
  store: { name: string; credential: string; example: string; parameters: readonly string[] },
): TokenStoreEndpoint {
  const { name, credential } = store;
  const scheme = new RegExp(`^${name}\\+(https?):$`).exec(sink.protocol)?.[1];
  if (!scheme) throw new SinkConfigError(`LOG_SINK: the ${name} sink needs a ${name}+https: or ${name}+http: URL, got ${sink.protocol}`);
  if (!sink.hostname) throw new SinkConfigError(`LOG_SINK: the ${name} sink needs a host, e.g. ${store.example}`);
  const label = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  if (sink.username || sink.password) throw new SinkConfigError(`LOG_SINK: put the ${label} ${credential} in the secret (LOG_SINK_SECRET_ID) or LOG_SINK_TOKEN, not in the URL`);
  if (!token) {
    const article = /^[aeiou]/i.test(credential) ? 'an' : 'a';
    throw new SinkConfigError(`LOG_SINK: the ${name} sink needs ${article} ${credential}: set LOG_SINK_SECRET_ID (deployed) or LOG_SINK_TOKEN (local)`);
  }
  return { scheme, token, parameters: knownParameters(sink, name, store.parameters) };
}

/** The URL's query parameters; an unknown or empty one is a configuration error that lists the known ones. */
export function knownParameters(sink: URL, name: string, known: readonly string[]): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const [parameter, value] of sink.searchParams) {
    if (!known.includes(parameter)) {
      const list = known.length > 1 ? `${known.slice(0, -1).join(', ')} or ${known.at(-1)}` : known[0];
      throw new SinkConfigError(`LOG_SINK: unknown ${name} parameter "${parameter}"; use ${list}`);
    }
    if (value.trim() === '') throw new SinkConfigError(`LOG_SINK: the ${name} ${parameter} parameter is empty`);
    parameters.set(parameter, value);
  }
  return parameters;
}

/** The endpoint path below the URL's own prefix: `/prefix` + `endpoint`, unless the prefix already ends with it. */
export function endpointPath(sink: URL, endpoint: string): string {
  const prefix = sink.pathname.replace(/\/+$/, '');
  return prefix.endsWith(endpoint) ? prefix : `${prefix}${endpoint}`;
}

/** The URL parameter that sets a sink's `maxRecordBytes`. */
export const recordLimitParameter = 'max_record_bytes';

/** `?max_record_bytes=<n>` as limits, or none; a value outside 4 KiB – 16 MiB is a configuration error. */
export function recordLimit(value: string | null | undefined, name: string): { maxRecordBytes: number } | Record<string, never> {
  if (value === undefined || value === null) return {};
  const bytes = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(bytes >= 4096 && bytes <= 16 * 1024 * 1024)) {
    throw new SinkConfigError(`LOG_SINK: the ${name} ${recordLimitParameter} parameter must be a whole number of bytes from 4096 to 16777216, got "${value}"`);
  }
  return { maxRecordBytes: bytes };
}
