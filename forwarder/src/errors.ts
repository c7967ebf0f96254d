import { AppError } from '../../shared/errors.js';

/** Base of the forwarder's errors. */
export class ForwarderError extends AppError {
  override name = 'ForwarderError';
}

/** The invocation event is not a CloudWatch Logs subscription event that can be decoded. */
export class DecodeError extends ForwarderError {
  override name = 'DecodeError';
}

/** `LOG_SINK` names a sink that does not exist or is written wrong. */
export class SinkConfigError extends ForwarderError {
  override name = 'SinkConfigError';
}

/** The sink's secret (LOG_SINK_SECRET_ID) could not be read or holds nothing usable. */
export class SinkSecretError extends ForwarderError {
  override name = 'SinkSecretError';
}

/**
 * Some records were not delivered. Thrown by the handler so that Lambda retries the event and,
 * after its retries, hands it to the on-failure destination: nothing is lost.
 */
export class DeliveryError extends ForwarderError {
  override name = 'DeliveryError';

  readonly failed: number;
  readonly delivered: number;

  constructor(message: string, counts: { failed: number; delivered: number }, options?: { cause?: unknown }) {
    super(message, options);
    this.failed = counts.failed;
    this.delivered = counts.delivered;
  }
}

/** Undelivered records could not be put on the failure queue; the invocation throws so Lambda keeps the event. */
export class ParkError extends ForwarderError {
  override name = 'ParkError';
}
