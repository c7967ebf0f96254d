const looseIso = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)([.,]\d+)?(Z|[+-]\d\d:?\d\d)?$/;
const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/**
 * Normalises a time found in a line to ISO 8601 UTC. UTC ISO strings are kept as written, so
 * micro- and nanosecond precision survives; other dates are re-rendered with milliseconds.
 * Numbers are epoch seconds, milliseconds, microseconds or nanoseconds, told apart by size.
 */
export function normalizeTime(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (isoUtc.test(value)) return isValidIsoUtc(value) ? value : undefined;
    if (/^\d+(?:\.\d+)?$/.test(value)) return fromEpoch(Number(value));
    const loose = looseIso.exec(value);
    if (!loose) return undefined;
    // Python's logging writes `2023-09-12 05:26:13,295+0000`: make it ISO before parsing.
    const [, date, clock, fraction = '', zone = 'Z'] = loose;
    const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    // Date.parse rolls an impossible day (February 30) into the next month: refuse it instead.
    if (!isValidIsoUtc(`${date}T${clock}Z`)) return undefined;
    const ms = Date.parse(`${date}T${clock}${fraction.replace(',', '.').slice(0, 4)}${offset}`);
    return Number.isNaN(ms) ? undefined : isoFromEpochMs(ms);
  }
  if (typeof value === 'number') return fromEpoch(value);
  return undefined;
}

function fromEpoch(value: number): string | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  let ms: number;
  if (value < 1e11) ms = value * 1000;
  else if (value < 1e14) ms = value;
  else if (value < 1e17) ms = value / 1000;
  else ms = value / 1e6;
  return isoFromEpochMs(Math.floor(ms));
}

const dayMs = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the times ISO 8601's four-digit years can write. */
const earliestMs = -62_167_219_200_000;
const latestMs = 253_402_300_799_999;
const strictIsoUtc = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;
const monthDays = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A UTC ISO 8601 time with a real calendar date and time of day, years 0000 to 9999. Allocates nothing: it runs once per record. */
export function isValidIsoUtc(value: string): boolean {
  if (!strictIsoUtc.test(value)) return false;
  const day = digitsAt(value, 8, 2);
  if (day <= 28) return true;
  const month = digitsAt(value, 5, 2);
  if (day > monthDays[month - 1]!) return false;
  if (month !== 2 || day < 29) return true;
  const year = digitsAt(value, 0, 4);
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** The number the `count` ASCII digits at `at` write. */
function digitsAt(text: string, at: number, count: number): number {
  let number = 0;
  for (let i = at; i < at + count; i += 1) number = number * 10 + text.charCodeAt(i) - 48;
  return number;
}

const pad2 = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const pad3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()`, several times faster: the date part is cached (a batch's
 * events share a day) and the time of day is assembled from lookup tables.
 */
export function isoFromEpochMs(epochMs: number): string | undefined {
  if (!Number.isFinite(epochMs) || epochMs < earliestMs || epochMs > latestMs) return undefined;
  const ms = Math.floor(epochMs);
  const day = Math.floor(ms / dayMs);
  if (day !== cachedDay) {
    const date = new Date(day * dayMs);
    if (Number.isNaN(date.getTime())) return undefined;
    cachedPrefix = date.toISOString().slice(0, 11);
    cachedDay = day;
  }
  let rest = ms - day * dayMs;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${cachedPrefix}${pad2[hours]}:${pad2[minutes]}:${pad2[seconds]}.${pad3[millis]}Z`;
}
