// Runs in a fresh process per sink: times the packaged handler on the maximum-size batch, next
// to the floor (gunzip + JSON.parse of the same payload), and reports peak RSS.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BenchPayload } from './payload.js';

interface HandlerModule {
  handler: (event: unknown, context: unknown) => Promise<{ shipped: number; parked: number }>;
}

const [bundle, payloadDir] = process.argv.slice(2);

function context() {
  const deadline = Date.now() + 60_000;
  return { awsRequestId: 'bench', functionName: 'log-forwarder-bench-forwarder', getRemainingTimeInMillis: () => deadline - Date.now() };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed(run: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// One payload per run, each with its own event ids, so a store that drops duplicates (SQLite)
// really inserts every time. They are made by the parent process and read one at a time, so this
// process's peak RSS is the forwarder's and not the generator's.
const files = readdirSync(payloadDir!)
  .filter((name) => name.endsWith('.json'))
  .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
  .map((name) => path.join(payloadDir!, name));
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as BenchPayload;
const payload = read(files[0]!);
const floorRun = () => JSON.parse(gunzipSync(Buffer.from(payload.event.awslogs.data, 'base64')).toString('utf8'));
const { handler } = (await import(bundle!)) as HandlerModule;
const floor: number[] = [];
const runs: number[] = [];
// CPU time of the whole process (main thread, thread pool, GC) per run: what a Lambda with a
// fraction of one vCPU has to pay for, whatever ran in parallel here.
const cpu: number[] = [];
for (const [index, file] of files.entries()) {
  const next = read(file);
  const floorMs = await timed(floorRun);
  let summary = { shipped: 0, parked: 0 };
  const cpuBefore = process.cpuUsage();
  const handlerMs = await timed(async () => {
    summary = await handler(next.event, context());
  });
  const cpuUsed = process.cpuUsage(cpuBefore);
  // Every record is delivered, or parked (the poisoned row).
  if (summary.shipped + summary.parked !== next.events) throw new Error(`shipped ${summary.shipped} and parked ${summary.parked} of ${next.events}`);
  // The first three runs warm the JIT and the connections.
  if (index < 3) continue;
  floor.push(floorMs);
  runs.push(handlerMs);
  cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
}
process.stdout.write(
  `${JSON.stringify({
    events: payload.events,
    cloudWatchBytes: payload.cloudWatchBytes,
    rawBytes: payload.rawBytes,
    compressedBytes: payload.compressedBytes,
    floorMs: median(floor),
    handlerMs: median(runs),
    cpuMs: median(cpu),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
