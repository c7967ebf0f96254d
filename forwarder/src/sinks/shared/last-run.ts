// What a run of consecutive records shares, built once per run instead of once per record.

/**
 * A value derived from a few of a record's objects, kept for the next record: the records of one
 * payload share their level, function, trace and service objects (see SharedParts in record.ts),
 * so a value built from those is rebuilt only when one of them is another object.
 */
export class LastRun<T> {
  private sources: readonly unknown[] | undefined;
  private value!: T;

  /** The value for `sources`, from `build` when any of them differs from the last record's. */
  of(sources: readonly unknown[], build: () => T): T {
    const last = this.sources;
    if (last === undefined || sources.some((source, at) => source !== last[at])) {
      this.value = build();
      this.sources = sources;
    }
    return this.value;
  }
}
