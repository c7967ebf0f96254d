import type { PreparedRecord, SinkLimits } from './sinks/types.js';

/**
 * Cuts records into batches within a sink's count and byte limits, in order. The cut depends
 * only on the records, so a redelivered event is batched the same way.
 */
export function toBatches(records: readonly PreparedRecord[], limits: SinkLimits): PreparedRecord[][] {
  const batches: PreparedRecord[][] = [];
  let current: PreparedRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    // +1 for the separator most encodings put between records.
    const size = record.bytes + 1;
    if (current.length > 0 && (current.length >= limits.maxBatchRecords || bytes + size > limits.maxBatchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
