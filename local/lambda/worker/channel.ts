// The worker's side of the frames: synchronous writes to stdout/stderr, so a frame, a console
// record and a raw line the function writes with pino or process.stdout keep their order.
import { writeSync } from 'node:fs';
import { frameStart, type FromWorker } from '../protocol.js';

const pause = new Int32Array(new SharedArrayBuffer(4));
let prefix = frameStart;

/** Frames carry the environment's nonce, so a function's own output never passes for one. */
export function useNonce(nonce: string): void {
  prefix = `${frameStart}${nonce}`;
}

/** Writes all of `text` to `fd`, waiting out a full pipe (the fd may be non-blocking). */
export function writeAll(fd: number, text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The runtime is gone: nobody reads this environment any more.
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

export function sendFrame(frame: FromWorker, fd: 1 | 2 = 1): void {
  writeAll(fd, `${prefix}${JSON.stringify(frame)}\n`);
}

/** The environment's peak resident memory so far, as REPORT's `Max Memory Used`. */
export function maxMemoryMb(): number {
  return Math.ceil(process.resourceUsage().maxRSS / 1024);
}
