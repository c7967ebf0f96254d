// The bytes of one payload's records: rendered JSON appended into reused 1 MiB buffers.

/** Size of one output buffer: a batch of the HTTP sink, a fifth of a maximum-size payload's NDJSON. */
export const slabBytes = 1024 * 1024;
/** Rendered text collected before one write into the buffer (measured: per-record writes cost more in calls). */
const stageBytes = 16 * 1024;
/** Free buffers kept for the next invocation: enough for the NDJSON of a maximum-size payload of any sink. */
const maxPooled = 24;
const pool: Buffer[] = [];

/**
 * Where a payload's records are written, each as its JSON and a newline, one after another, so a
 * run of consecutive records is one contiguous range that a sink sends without copying. Text is
 * staged in short runs and written in one call per run; a record's bytes are in place once
 * `flush()` has run, and a record never spans two buffers. `release()` hands the buffers back to
 * the next invocation: after it, no record of this output may be read.
 */
export class RecordOutput {
  private readonly slabs: Buffer[] = [];
  private slab: Buffer | undefined;
  private written = 0;
  private staged = '';
  private stagedBytes = 0;

  /** Text waiting for `flush()`, in bytes. */
  get pendingBytes(): number {
    return this.stagedBytes;
  }

  /**
   * Places `text` (its UTF-8 size is `bytes`, counted by the caller as it rendered) and a newline;
   * returns the buffer and the offset it will occupy.
   */
  place(text: string, bytes: number): { chunk: Buffer; start: number } {
    const need = bytes + 1;
    if (this.slab === undefined || this.written + this.stagedBytes + need > this.slab.length) {
      this.flush();
      this.slab = take(need);
      this.slabs.push(this.slab);
      this.written = 0;
    }
    const start = this.written + this.stagedBytes;
    this.staged = `${this.staged}${text}\n`;
    this.stagedBytes += need;
    const chunk = this.slab;
    if (this.stagedBytes >= stageBytes) this.flush();
    return { chunk, start };
  }

  /** Writes the staged text into its buffer. */
  flush(): void {
    if (this.stagedBytes === 0 || this.slab === undefined) return;
    const wrote = this.slab.write(this.staged, this.written, 'utf8');
    // The renderer counts every byte it renders; a miscount would misplace the records after it.
    if (wrote !== this.stagedBytes) throw new Error(`record output: wrote ${wrote} bytes where ${this.stagedBytes} were counted`);
    this.written += wrote;
    this.staged = '';
    this.stagedBytes = 0;
  }

  /** Gives the buffers back for reuse; staged text not yet written is dropped (nothing reads it any more). */
  release(): void {
    this.staged = '';
    this.stagedBytes = 0;
    for (const slab of this.slabs) if (slab.length === slabBytes && pool.length < maxPooled) pool.push(slab);
    this.slabs.length = 0;
    this.slab = undefined;
  }
}

function take(need: number): Buffer {
  if (need > slabBytes) return Buffer.allocUnsafeSlow(need);
  return pool.pop() ?? Buffer.allocUnsafeSlow(slabBytes);
}
