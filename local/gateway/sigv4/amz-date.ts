// SigV4 timestamps: ISO 8601 basic format in UTC (`20230101T000000Z`), and the clock-skew check
// worded as AWS words it.
import { invalidSignature, type SigV4Failure } from './responses.js';

/** How far `X-Amz-Date` may be from the server's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const BASIC_FORMAT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses `YYYYMMDD'T'HHMMSS'Z'`; undefined for anything else, including impossible dates. */
export function parseAmzDate(value: string): Date | undefined {
  const match = BASIC_FORMAT.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return formatAmzDate(date) === value ? date : undefined;
}

/** `2023-01-01T00:00:00.123Z` → `20230101T000000Z` (milliseconds dropped). */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

const durationText = (ms: number): string =>
  ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.floor(ms / 1000)} sec`;

/**
 * Refuses a request dated outside [now - validFor, now + 5 min]: "Signature expired: … is now
 * earlier than … (… - 5 min.)" and "Signature not yet current: … is still later than … (… + 5
 * min.)", exactly as AWS answers. `validFor` is 5 minutes, or a presigned URL's `X-Amz-Expires`.
 */
export function checkRequestTime(
  requestDate: Date,
  now: Date,
  validForMs: number = MAX_CLOCK_SKEW_MS,
): SigV4Failure | undefined {
  const earliest = new Date(now.getTime() - validForMs);
  if (requestDate.getTime() < earliest.getTime()) {
    return invalidSignature(
      `Signature expired: ${formatAmzDate(requestDate)} is now earlier than ` +
        `${formatAmzDate(earliest)} (${formatAmzDate(now)} - ${durationText(validForMs)}.)`,
    );
  }
  const latest = new Date(now.getTime() + MAX_CLOCK_SKEW_MS);
  if (requestDate.getTime() > latest.getTime()) {
    return invalidSignature(
      `Signature not yet current: ${formatAmzDate(requestDate)} is still later than ` +
        `${formatAmzDate(latest)} (${formatAmzDate(now)} + ${durationText(MAX_CLOCK_SKEW_MS)}.)`,
    );
  }
  return undefined;
}
