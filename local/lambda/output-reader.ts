// Splits what a worker writes on stdout or stderr into the function's raw lines (each one log
// event, keeping its newline, as Lambda does) and the worker's frames.
import { StringDecoder } from 'node:string_decoder';
import type { FromWorker } from './protocol.js';

export interface OutputHandlers {
  /** A raw line the function wrote (process.stdout.write, pino, a Node warning on stderr). */
  line(message: string, timestamp: number): void;
  frame(frame: FromWorker): void;
}

export class OutputReader {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** `marker` is the frame start followed by the environment's nonce. */
  constructor(
    private readonly marker: string,
    private readonly handlers: OutputHandlers,
  ) {}

  push(chunk: Buffer): void {
    const text = this.pending + this.decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      this.take(text.slice(start, newline + 1));
      start = newline + 1;
    }
    this.pending = text.slice(start);
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest) this.take(rest);
  }

  private take(line: string): void {
    const at = line.indexOf(this.marker);
    if (at < 0) {
      this.handlers.line(line, Date.now());
      return;
    }
    // A frame after a partial raw write (`process.stdout.write('no newline')`) ends that line.
    if (at > 0) this.handlers.line(line.slice(0, at), Date.now());
    let frame: FromWorker;
    try {
      frame = JSON.parse(line.slice(at + this.marker.length)) as FromWorker;
    } catch {
      this.handlers.line(line.slice(at), Date.now());
      return;
    }
    this.handlers.frame(frame);
  }
}
