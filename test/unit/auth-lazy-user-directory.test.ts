import { describe, expect, it } from 'vitest';
import { lazyUserDirectory } from '../../auth-service/src/repositories/lazy-user-directory.js';
import type { UserDirectory, UserRecord } from '../../auth-service/src/repositories/user-directory.js';

/** A directory of the given users, and a loader that counts its calls and fails the first `failures`. */
function loaderOf(users: readonly UserRecord[], failures = 0) {
  const directory: UserDirectory = { findUser: async (sub) => users.find((user) => user.sub === sub) };
  const calls = { count: 0 };
  const load = async () => {
    calls.count += 1;
    if (calls.count <= failures) throw new Error(`chunk missing (load ${calls.count})`);
    return directory;
  };
  return { load, calls };
}

const ada = { sub: '7c1e4b52-9a3f-4d8e-b6a1-2f5c8d9e0a13', email: 'ada@example.com', name: 'Ada Lovelace' };

describe('lazyUserDirectory', () => {
  it('loads nothing until the first lookup', () => {
    const { load, calls } = loaderOf([ada]);

    lazyUserDirectory(load);

    expect(calls.count).toBe(0);
  });

  it('loads the directory once and answers every lookup from it', async () => {
    const { load, calls } = loaderOf([ada]);
    const users = lazyUserDirectory(load);

    const found = await Promise.all([users.findUser(ada.sub), users.findUser(ada.sub), users.findUser('someone-else')]);

    expect(found).toEqual([ada, ada, undefined]);
    expect(calls.count).toBe(1);
  });

  it('rejects a lookup with the error of a failed load, and loads again on the next one', async () => {
    const { load, calls } = loaderOf([ada], 1);
    const users = lazyUserDirectory(load);

    await expect(users.findUser(ada.sub)).rejects.toThrow('chunk missing (load 1)');
    await expect(users.findUser(ada.sub)).resolves.toEqual(ada);
    expect(calls.count).toBe(2);
  });
});
