// The human-readable copy of every log group: `<stateDir>/cloudwatch/<group>.log`, one line per
// event (`<ISO time> <log stream> <message>`), appended as lines arrive.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { LogLine } from '../model.js';

/** `/aws/lambda/auth-service-local-getProfile` → `aws_lambda_auth-service-local-getProfile.log`. */
export function logFileName(logGroup: string): string {
  return `${logGroup.replace(/^\/+/, '').replaceAll('/', '_')}.log`;
}

export class LogFiles {
  private readonly streams = new Map<string, WriteStream>();

  constructor(
    private readonly dir: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  append(line: LogLine): void {
    let stream = this.streams.get(line.logGroup);
    if (!stream) {
      mkdirSync(this.dir, { recursive: true });
      stream = createWriteStream(path.join(this.dir, logFileName(line.logGroup)), { flags: 'a' });
      stream.on('error', this.onError);
      this.streams.set(line.logGroup, stream);
    }
    const message = line.message.endsWith('\n') ? line.message.slice(0, -1) : line.message;
    stream.write(`${new Date(line.timestamp).toISOString()} ${line.logStream} ${message}\n`);
  }

  async close(): Promise<void> {
    const streams = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(streams.map(async (stream) => {
      stream.end();
      if (!stream.closed) await once(stream, 'close').catch(() => undefined);
    }));
  }
}
