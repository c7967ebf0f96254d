/**
 * Base class of every error this project throws on purpose. Each subclass names itself with an
 * `override name = '…'` field, so logs and error mappers can tell them apart without
 * `instanceof` across bundles, and minified class names never show.
 */
export class AppError extends Error {
  override name = 'AppError';
}

/** A required environment variable is missing or holds a value that cannot be used. */
export class ConfigError extends AppError {
  override name = 'ConfigError';

  /** The environment variable at fault. */
  readonly variable: string;

  constructor(variable: string, problem: string, options?: { cause?: unknown }) {
    super(`${variable}: ${problem}`, options);
    this.variable = variable;
  }
}

/**
 * An error that maps to an HTTP response. `expose` says whether the message may be shown to the
 * caller; when false the caller sees a generic message for the status.
 */
export class HttpError extends AppError {
  override name = 'HttpError';

  readonly statusCode: number;
  readonly expose: boolean;
  /** A stable machine-readable code, e.g. `ValidationError`. */
  readonly code: string;
  /**
   * Structured detail for the caller, e.g. one entry per invalid field. Sent only when `expose`
   * is set, so it must never hold secrets or the request's own values.
   */
  readonly details?: unknown;

  constructor(
    statusCode: number,
    message: string,
    options?: { cause?: unknown; expose?: boolean; code?: string; details?: unknown },
  ) {
    super(message, options);
    this.statusCode = statusCode;
    this.expose = options?.expose ?? statusCode < 500;
    this.code = options?.code ?? 'HttpError';
    if (options?.details !== undefined) this.details = options.details;
  }
}

/**
 * The base of an HttpError subclass that always answers `statusCode` with `code`:
 * `class NotFoundError extends httpErrorFor(404, 'NotFound') { override name = 'NotFoundError'; }`.
 */
export function httpErrorFor(statusCode: number, code: string) {
  return class extends HttpError {
    constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
      super(statusCode, message, { ...options, code });
    }
  };
}
