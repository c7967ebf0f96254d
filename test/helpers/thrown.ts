/** The error `run` throws; fails the test when it throws nothing. */
export function thrownBy<T extends Error = Error>(run: () => unknown): T {
  try {
    run();
  } catch (error) {
    return error as T;
  }
  throw new Error('expected a throw, and nothing was thrown');
}
