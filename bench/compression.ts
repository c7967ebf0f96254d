// How gzip at levels 1 and 6 and zstd compare on what the forwarder sends: the NDJSON of the
// bench payload's records, as the HTTP sink renders it. Times are medians, in this process.
import { gzipSync, zstdCompressSync, constants } from 'node:zlib';
import type { DecodedPayload } from '../forwarder/src/decode.js';
import { encodeNdjson } from '../forwarder/src/sinks/http/encode.js';
import { StreamTracker } from '../forwarder/src/stream-context.js';
import { transformPayload } from '../forwarder/src/transform.js';

export interface CompressionRow {
  name: string;
  ms: number;
  bytes: number;
  /** Uncompressed bytes ÷ compressed bytes. */
  ratio: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function measureCompression(payload: DecodedPayload, runs = 9): { inputBytes: number; rows: CompressionRow[] } {
  const { records } = transformPayload(payload, { region: 'us-east-1', stage: 'bench', maxMessageBytes: 256 * 1024, streams: new StreamTracker() });
  const input = Buffer.concat(encodeNdjson(records));
  const codecs: Array<[string, (data: Buffer) => Buffer]> = [
    ['gzip level 1 (what the sinks send)', (data) => gzipSync(data, { level: 1 })],
    ['gzip level 6 (zlib default)', (data) => gzipSync(data, { level: 6 })],
    ['zstd level 3 (default)', (data) => zstdCompressSync(data)],
    ['zstd level 1', (data) => zstdCompressSync(data, { params: { [constants.ZSTD_c_compressionLevel]: 1 } })],
  ];
  const rows = codecs.map(([name, compress]) => {
    let bytes = 0;
    const times = Array.from({ length: runs }, () => {
      const started = performance.now();
      bytes = compress(input).length;
      return performance.now() - started;
    });
    return { name, ms: median(times), bytes, ratio: input.length / bytes };
  });
  return { inputBytes: input.length, rows };
}
