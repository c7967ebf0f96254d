// Reads one file out of a zip archive (the packaged Lambda bundle) with node:zlib.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** The entries of a zip's central directory: name, compressed size and local header offset. */
function centralDirectory(zip: Buffer) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: Array<{ name: string; method: number; size: number; local: number }> = [];
  for (let i = 0; i < count; i += 1) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      method: zip.readUInt16LE(offset + 10),
      size: zip.readUInt32LE(offset + 20),
      local: zip.readUInt32LE(offset + 42),
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Returns the bytes of `name` inside the zip at `file`. */
export function readZipEntry(file: string, name: string): Buffer {
  const zip = readFileSync(file);
  const entry = centralDirectory(zip).find((e) => e.name === name);
  if (!entry) throw new Error(`${name} is not in ${file}`);
  const start = entry.local + 30 + zip.readUInt16LE(entry.local + 26) + zip.readUInt16LE(entry.local + 28);
  const data = zip.subarray(start, start + entry.size);
  return entry.method === 0 ? Buffer.from(data) : inflateRawSync(data);
}

/** The names of the files inside the zip at `file`. */
export function zipEntryNames(file: string): string[] {
  return centralDirectory(readFileSync(file)).map((entry) => entry.name);
}
