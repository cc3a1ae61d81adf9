/**
 * The outcome log's collapsed rows from the engine (EngineHost.outcomes with collapse, issue 16):
 * a run of the same line is one row with its count, cut at maxStep, filtered by kind.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EngineHost } from './host';

const base = JSON.parse(
  readFileSync(
    new URL('../../public/scenarios/thread-2021-upstream.json', import.meta.url),
    'utf8',
  ),
) as { events: unknown[] };
const early = Array.from({ length: 1000 }, (_, i) => ({
  op: 'share',
  guest: 'vm',
  gpa: `0x${(i * 4096).toString(16)}`,
  size: '4K',
}));

describe('EngineHost.outcomes({ collapse })', () => {
  const h = new EngineHost();
  const r = h.load({ kind: 'scenario', scenario: { ...base, events: [...early, ...base.events] } });
  it('loads', () => expect(r.errors).toEqual([]));

  it('1,000 ignored events before the launch are one row; the outcomes are still counted', () => {
    const all = h.outcomes({ from: 0, count: 100 });
    const rows = h.outcomes({ from: 0, count: 100, collapse: true });
    // Rows 0 and 1: the SNP host's own splits at step 0 (the TMR, the platform-status page).
    expect(rows.rows.slice(0, 2).map((x) => [x.step, x.kind])).toEqual([
      [0, 'dm-split'],
      [0, 'dm-split'],
    ]);
    expect(rows.rows[2]).toMatchObject({ kind: 'ignored', repeat: 1000, step: 1, lastStep: 1000 });
    expect(rows.rows[2]?.message).toMatch(/event ignored \(guest not running\)$/);
    expect(rows.total).toBe(all.total - 999);
    expect(rows.outcomes).toBe(all.total);
    expect(rows.rows.filter((x) => x.repeat !== 1).length).toBe(1);
  });

  it('cut at a step inside the run, the run counts only its outcomes up to it', () => {
    const cut = h.outcomes({ from: 0, count: 10, maxStep: 400, collapse: true });
    expect(cut.total).toBe(3);
    expect(cut.outcomes).toBe(402);
    expect(cut.rows[2]).toMatchObject({ repeat: 400, lastStep: 400 });
  });

  it('with ignored filtered out, the step-0 splits are followed by the launch step', () => {
    const kinds = ['launch', 'dm-split', 'psmash', 'rmp-fault', 'thp-split', 'exit'];
    const rows = h.outcomes({ from: 0, count: 10, kinds, collapse: true });
    expect(rows.rows.some((x) => x.kind === 'ignored')).toBe(false);
    expect(rows.rows[2]?.step).toBe(1001);
    expect(rows.rows.find((x) => x.step === 1001 && x.kind === 'launch')).toBeDefined();
  });
});
