// CloudWatch Logs event ids: 56 decimal digits, the event's epoch milliseconds shifted left by
// 144 bits plus a per-stream part that grows by one per event, as in the captured payloads of
// test/fixtures/cloudwatch-logs/. Unique and increasing within a stream.
import { randomBytes } from 'node:crypto';

export class StreamEventIds {
  /** 112 random bits above a 32-bit sequence: the low 144 bits of every id of this stream. */
  private readonly salt = BigInt(`0x${randomBytes(14).toString('hex')}`) << 32n;
  private sequence = 0n;
  private lastTimestamp = 0;

  /** The id of the stream's next event; a timestamp older than the last one counts as the last. */
  next(timestamp: number): string {
    this.lastTimestamp = Math.max(this.lastTimestamp, Math.trunc(timestamp));
    this.sequence = (this.sequence + 1n) & 0xffffffffn;
    return ((BigInt(this.lastTimestamp) << 144n) + this.salt + this.sequence).toString().padStart(56, '0');
  }
}
