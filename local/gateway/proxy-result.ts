// A Lambda proxy result (REST API, payload format 1.0) turned into the HTTP response, or refused
// as "Malformed Lambda proxy response" (a 502) as API Gateway does: only the five fields below,
// an integer status, a string body.
import * as z from 'zod/mini';
import type { GatewayReply } from './responses.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const proxyResultSchema = z.strictObject({
  statusCode: z.union([z.int(), z.string().check(z.regex(/^\d+$/))]),
  headers: z.optional(z.nullable(z.record(z.string(), scalar))),
  multiValueHeaders: z.optional(z.nullable(z.record(z.string(), z.array(scalar)))),
  body: z.optional(z.nullable(z.string())),
  isBase64Encoded: z.optional(z.nullable(z.boolean())),
});

export type ProxyResult = z.infer<typeof proxyResultSchema>;

// Node computes the framing of the response itself; a function's own values would corrupt it.
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

/**
 * The HTTP response for a function's return value, or undefined when it is malformed. Headers
 * from `headers` and `multiValueHeaders` are merged; for a name in both, only the latter's values
 * are kept. Content-Type defaults to application/json.
 */
export function replyFromProxyResult(payload: unknown): GatewayReply | undefined {
  const parsed = proxyResultSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const result = parsed.data;
  const statusCode = Number(result.statusCode);
  if (statusCode < 100 || statusCode > 599) return undefined;

  const headers: Record<string, string | string[]> = {};
  const names = new Map<string, string>();
  const put = (name: string, values: string[]) => {
    const lower = name.toLowerCase();
    if (FRAMING.has(lower)) return;
    const previous = names.get(lower);
    if (previous !== undefined) delete headers[previous];
    names.set(lower, name);
    headers[name] = values.length === 1 ? (values[0] ?? '') : values;
  };
  const multi = Object.entries(result.multiValueHeaders ?? {});
  const multiNames = new Set(multi.map(([name]) => name.toLowerCase()));
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (!multiNames.has(name.toLowerCase())) put(name, [String(value)]);
  }
  for (const [name, values] of multi) put(name, values.map(String));
  if (!names.has('content-type')) headers['Content-Type'] = 'application/json';

  const text = result.body ?? '';
  const body = result.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { statusCode, headers, body };
}
