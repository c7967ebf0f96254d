// The ids of the local resources, decided at the first start and kept in `<stateDir>/ids.json`:
// a second start finds the same user pool, client, identity pool and API, so their data stays.
// They are shaped like AWS's, because code downstream checks the shapes (the auth service reads
// the region out of a user pool id and compares it with the identity provider name).
import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalIds } from './model.js';

const lowercaseAlphanumerics = 'abcdefghijklmnopqrstuvwxyz0123456789';
const alphanumerics = `ABCDEFGHIJKLMNOPQRSTUVWXYZ${lowercaseAlphanumerics}`;
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

interface IdShape {
  pattern: RegExp;
  create(): string;
}

/** How each id looks in AWS, and how to make a new one. */
function idShapes(region: string): Record<keyof LocalIds, IdShape> {
  const prefix = escapeRegExp(region);
  return {
    userPoolId: { pattern: new RegExp(`^${prefix}_[0-9A-Za-z]{9}$`), create: () => `${region}_${randomString(alphanumerics, 9)}` },
    userPoolClientId: { pattern: /^[0-9a-z]{26}$/, create: () => randomString(lowercaseAlphanumerics, 26) },
    identityPoolId: {
      pattern: new RegExp(`^${prefix}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
      create: () => `${region}:${randomUUID()}`,
    },
    apiId: { pattern: /^[0-9a-z]{10}$/, create: () => randomString(lowercaseAlphanumerics, 10) },
  };
}

/**
 * The local resource ids for `region`: read from `<stateDir>/ids.json`, or created and written
 * there at the first start. An id that is missing or does not fit the region (the file of a
 * stack started for another region) is made anew; the others are kept.
 */
export function loadLocalIds(stateDir: string, region: string): LocalIds {
  if (!regionPattern.test(region)) throw new Error(`not an AWS region: "${region}"`);
  const file = path.join(stateDir, 'ids.json');
  const stored = readStored(file);
  const shapes = idShapes(region);
  let changed = false;
  const ids = {} as LocalIds;
  for (const key of Object.keys(shapes) as Array<keyof LocalIds>) {
    const value = stored[key];
    if (typeof value === 'string' && shapes[key].pattern.test(value)) {
      ids[key] = value;
    } else {
      ids[key] = shapes[key].create();
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(stateDir, { recursive: true });
    // Written aside and renamed, so a crash never leaves half a file that loses every id.
    writeFileSync(`${file}.tmp`, `${JSON.stringify(ids, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }
  return ids;
}

function readStored(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // Made anew, the ids would orphan the data kept under them: better to stop and say so.
    throw new Error(`${file} is not JSON; fix it, or remove it and the state folder to start afresh`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} does not hold a JSON object`);
  return parsed as Record<string, unknown>;
}

function randomString(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}
