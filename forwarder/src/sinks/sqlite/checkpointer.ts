// Runs the log store's WAL checkpoints on a thread of their own, off the path of the batches.
import { Worker } from 'node:worker_threads';

/**
 * A checkpoint copies the WAL's pages into the database file and syncs both: about a quarter of
 * the time a batch spends in the sink when the writer does it after its commit. On a connection
 * and thread of its own it runs while the next payload is parsed and rendered, and the WAL starts
 * over at the next batch. The thread is a script rather than a module so that it needs no entry
 * point of its own in the bundle; it only ever runs `PRAGMA wal_checkpoint(PASSIVE)`, which never
 * waits for the writer nor blocks it. A checkpoint that fails (another one is running) is left to
 * the next.
 */
const script = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file, { timeout: workerData.busyTimeoutMs });
db.exec('PRAGMA synchronous = NORMAL');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {}
});
`;

export interface Checkpointer {
  /** Asks for a checkpoint of what has been committed so far; returns at once. */
  afterCommit(): void;
  close(): Promise<void>;
}

/**
 * Starts the checkpoint thread of the store at `file`. The writer keeps SQLite's automatic
 * checkpoint as a bound on the WAL, for when this thread falls behind or could not start.
 */
export function startCheckpointer(file: string, busyTimeoutMs: number): Checkpointer {
  const worker = new Worker(script, { eval: true, workerData: { file, busyTimeoutMs } });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  // A thread that cannot open the file ends; the writer's own checkpoints then do its work.
  worker.on('error', () => undefined);
  // It never keeps a process alive that has nothing else to do.
  worker.unref();
  return {
    afterCommit() {
      if (!exited) worker.postMessage('checkpoint');
    },
    async close() {
      if (!exited) {
        // Held open until the thread has closed its connection.
        worker.ref();
        worker.postMessage('close');
      }
      await exit;
    },
  };
}
