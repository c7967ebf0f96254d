import type { PreparedRecord } from './record.js';
import type { SinkLimits } from './sinks/types.js';

/**
 * Collects records into batches within a sink's count and byte limits, in order. The cut
 * depends only on the records, so a redelivered event is batched the same way.
 */
export class Batcher {
  private current: PreparedRecord[] = [];
  private bytes = 0;

  // Most encodings put one separator (a newline, a comma) between records.
  private readonly overhead: number;

  constructor(private readonly limits: Pick<SinkLimits, 'maxBatchRecords' | 'maxBatchBytes' | 'recordOverheadBytes'>) {
    this.overhead = limits.recordOverheadBytes ?? 1;
  }

  /** Adds a record; returns the batch it completed, if any. */
  add(record: PreparedRecord): PreparedRecord[] | undefined {
    const size = record.bytes + this.overhead;
    let full: PreparedRecord[] | undefined;
    if (
      this.current.length > 0 &&
      (this.current.length >= this.limits.maxBatchRecords || this.bytes + size > this.limits.maxBatchBytes)
    ) {
      full = this.flush();
    }
    this.current.push(record);
    this.bytes += size;
    return full;
  }

  /** Returns what is collected and starts a new batch; undefined when empty. */
  flush(): PreparedRecord[] | undefined {
    if (this.current.length === 0) return undefined;
    const batch = this.current;
    this.current = [];
    this.bytes = 0;
    return batch;
  }
}
