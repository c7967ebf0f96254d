import { describe, expect, it } from 'vitest';
import { newTraceId, traceHeader } from '../../shared/trace-id.js';

describe('newTraceId', () => {
  it('writes the epoch seconds in 8 hex digits and 24 random hex digits', () => {
    const id = newTraceId(Date.UTC(2026, 10, 23, 10, 0, 0));

    expect(id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(Number.parseInt(id.slice(2, 10), 16)).toBe(Date.UTC(2026, 10, 23, 10, 0, 0) / 1000);
  });

  it('never repeats the random part', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newTraceId(0)));

    expect(ids.size).toBe(200);
  });

  it('makes the X-Amzn-Trace-Id root header', () => {
    expect(traceHeader('1-5759e988-bd862e3fe1be46a994272793')).toBe('Root=1-5759e988-bd862e3fe1be46a994272793');
  });
});
