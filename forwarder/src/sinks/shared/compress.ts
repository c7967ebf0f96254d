// gzip of request bodies on libuv's thread pool, the main thread free to render the next batch.
import { createGzip, gzip, type ZlibOptions } from 'node:zlib';
import { bodyParts, partsBytes, type Body } from './body.js';

/**
 * Level 1: the bench's compression table measured it twice as fast as the default level 6 for
 * 10 % more bytes on the records the sinks send. The output buffer is a quarter of the body
 * (records compress about tenfold), so a batch is mostly one trip to the thread pool, not one per
 * 16 KiB, and a small body (a half of a split batch) does not get a large buffer.
 */
function options(bytes: number): ZlibOptions {
  return { level: 1, chunkSize: Math.min(256 * 1024, Math.max(16 * 1024, Math.ceil(bytes / 4))) };
}

/** The body gzipped. Several parts stream through one compressor, never joined first. */
export function compressed(body: Body): Promise<Buffer> {
  const parts = bodyParts(body);
  if (parts.length === 1) {
    const [part] = parts as [Buffer];
    return new Promise((resolve, reject) => gzip(part, options(part.length), (error, result) => (error ? reject(error) : resolve(result))));
  }
  return new Promise((resolve, reject) => {
    const stream = createGzip(options(partsBytes(parts)));
    const out: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => out.push(chunk));
    stream.on('end', () => resolve(out.length === 1 ? out[0]! : Buffer.concat(out)));
    stream.on('error', reject);
    for (const part of parts) stream.write(part);
    stream.end();
  });
}
