import { lineKinds, type ParsedLine } from './parse/types.js';

/**
 * Remembers, per log stream, the invocation that was running when the last batch ended. One
 * execution environment (one log stream) runs one invocation at a time, so a line without a
 * request id belongs to the invocation running in its stream. Bounded: the oldest streams are
 * forgotten first.
 */
export class StreamTracker {
  private readonly running = new Map<string, string>();

  constructor(private readonly maxStreams = 10_000) {}

  current(stream: string): string | undefined {
    return this.running.get(stream);
  }

  set(stream: string, requestId: string | undefined): void {
    this.running.delete(stream);
    if (requestId === undefined) return;
    this.running.set(stream, requestId);
    if (this.running.size > this.maxStreams) {
      const oldest = this.running.keys().next().value;
      if (oldest !== undefined) this.running.delete(oldest);
    }
  }
}

/** What one batch tells about each invocation, to stamp on all of its lines. */
export interface InvocationFacts {
  traceId?: string;
  coldstart?: boolean;
  version?: string;
}

/**
 * Gives each line without a request id the id of the invocation running in its stream, and
 * returns the id still running at the end. Lines before the batch's first START take the id of
 * an END/REPORT that closes them, or of the invocation the tracker remembers; lines outside any
 * invocation (the init phase) keep none. Mutates `lines`.
 */
export function assignRequestIds(lines: ParsedLine[], runningAtStart: string | undefined): string | undefined {
  let running = runningAtStart;
  let orphans: ParsedLine[] = [];
  let sawBoundary = false;
  for (const line of lines) {
    switch (line.kind) {
      case lineKinds.start:
        running = line.requestId;
        orphans = [];
        sawBoundary = true;
        break;
      case lineKinds.end:
      case lineKinds.report:
        if (!sawBoundary && line.requestId) for (const orphan of orphans) orphan.requestId = line.requestId;
        orphans = [];
        sawBoundary = true;
        if (line.kind === lineKinds.report) running = undefined;
        break;
      case lineKinds.initStart:
        running = undefined;
        orphans = [];
        sawBoundary = true;
        break;
      default:
        if (line.requestId) running = line.requestId;
        else if (running) line.requestId = running;
        else if (!sawBoundary) orphans.push(line);
    }
  }
  return running;
}

/** Collects per-invocation trace ids, cold starts and versions found anywhere in the batch. */
export function invocationFacts(lines: readonly ParsedLine[]): Map<string, InvocationFacts> {
  const facts = new Map<string, InvocationFacts>();
  let initSeen = false;
  for (const line of lines) {
    if (line.kind === lineKinds.initStart) initSeen = true;
    const id = line.requestId;
    if (!id) continue;
    // Most lines tell nothing about their invocation: no map lookup for them.
    if (!line.traceId && line.kind !== lineKinds.start && !(line.kind === lineKinds.report && line.report)) continue;
    let entry = facts.get(id);
    if (!entry) facts.set(id, (entry = {}));
    if (line.traceId && !entry.traceId) entry.traceId = line.traceId;
    if (line.kind === lineKinds.start) {
      if (line.version) entry.version = line.version;
      if (initSeen) entry.coldstart = true;
      initSeen = false;
    }
    if (line.kind === lineKinds.report && line.report) {
      entry.coldstart = line.report.init_duration_ms !== undefined || line.report.restore_duration_ms !== undefined;
    }
  }
  return facts;
}
