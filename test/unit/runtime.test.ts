import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('runs the tests on the Node.js 24 that npm ci brings, as Lambda runs nodejs24.x', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });

  it('has the built-in SQLite with FTS5 that the local sink uses', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(':memory:');
    db.exec("CREATE VIRTUAL TABLE t USING fts5 (message); INSERT INTO t VALUES ('cold start')");
    expect(db.prepare("SELECT count(*) AS n FROM t WHERE t MATCH 'cold'").get()).toEqual({ n: 1 });
    db.close();
  });
});
