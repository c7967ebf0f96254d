import type { UserDirectory, UserRecord } from './user-directory.js';

/**
 * A {@link UserDirectory} that loads the real one on its first lookup and keeps it. A load that
 * fails is not kept: that lookup rejects with the load's error, as a failed request would, and
 * the next lookup tries again (as Lambda would retry a failed init).
 */
export function lazyUserDirectory(load: () => Promise<UserDirectory>): UserDirectory {
  let loading: Promise<UserDirectory> | undefined;
  return {
    async findUser(sub: string): Promise<UserRecord | undefined> {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).findUser(sub);
    },
  };
}
