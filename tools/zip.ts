// Reads files out of a zip archive (a packaged Lambda bundle) with fflate.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';

/** Returns the bytes of `name` inside the zip at `file`. */
export function readZipEntry(file: string, name: string): Buffer {
  const entries = unzipSync(readFileSync(file), { filter: (entry) => entry.name === name });
  const data = entries[name];
  if (!data) throw new Error(`${name} is not in ${file}`);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** The names of the files inside the zip at `file`. */
export function zipEntryNames(file: string): string[] {
  const names: string[] = [];
  // The filter sees every entry of the central directory; refusing each one inflates nothing.
  unzipSync(readFileSync(file), {
    filter: (entry) => {
      names.push(entry.name);
      return false;
    },
  });
  return names;
}
