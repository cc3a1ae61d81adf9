/**
 * The app's sweep pool (issue 19: "results identical to a serial sweep: same digests in any
 * order"; streaming rows; cancellable). Workers are ToolsHosts behind a delay, so cells finish
 * out of order as they would on real cores.
 */
import type { Remote } from 'comlink';
import { describe, expect, it } from 'vitest';
import type { ToolsApi } from '../../src/worker/protocol';
import { ToolsHost } from '../../src/worker/tools-host';
import { poolSize, SweepRun } from './sweep-pool';

function fakeSpawn(delays: number[]) {
  let made = 0;
  const disposed: number[] = [];
  const spawn = () => {
    const id = made++;
    const host = new ToolsHost();
    const api = {
      sweepCell: (...a: Parameters<ToolsHost['sweepCell']>) =>
        new Promise((r) => setTimeout(() => r(host.sweepCell(...a)), delays[id % delays.length])),
    } as unknown as Remote<ToolsApi>;
    return { api, dispose: () => disposed.push(id) };
  };
  return { spawn, disposed, made: () => made };
}

describe('poolSize: cores, then memory, then the cap', () => {
  it.each([
    [2, undefined, 32, 2],
    [16, undefined, 32, 8],
    [16, 4, 32, 4],
    [16, 1, 32, 1],
    [undefined, undefined, 32, 2],
    [4, undefined, 3, 3],
  ])('cores %s, %s GiB, %s cells: %s workers', (cores, mem, cells, want) => {
    expect(poolSize(cores, mem, cells)).toBe(want);
  });
});

describe('SweepRun', () => {
  const source = { kind: 'preset', preset: 'thread-2021' } as const;
  const serial = new ToolsHost().sweep(source);
  if (!serial.ok) throw new Error('sweep');

  it('gives the serial sweep row for row, whatever finishes first, and streams each row', async () => {
    const f = fakeSpawn([0, 7, 3]);
    const seen: number[] = [];
    const run = new SweepRun(source, (p) => seen.push(p.done), { workers: 3, spawn: f.spawn });
    const out = await run.result;
    expect(out.kind).toBe('done');
    if (out.kind !== 'done') return;
    expect(out.rows.map((r) => r.digest)).toEqual(serial.rows.map((r) => r.digest));
    expect(out.rows).toEqual(serial.rows);
    expect(seen).toEqual(serial.rows.map((_, i) => i + 1));
    expect(f.disposed.sort()).toEqual([0, 1, 2]);
  });

  it('cancel stops at once, terminates every worker and runs no more cells', async () => {
    const f = fakeSpawn([5]);
    let rows = 0;
    const run = new SweepRun(source, () => rows++, { workers: 2, spawn: f.spawn });
    run.cancel();
    expect(await run.result).toEqual({ kind: 'cancelled' });
    await new Promise((r) => setTimeout(r, 30));
    expect(rows).toBe(0);
    expect(f.disposed.sort()).toEqual([0, 1]);
  });

  it('a scenario that does not parse is an error with its messages, not a hang', async () => {
    const f = fakeSpawn([0]);
    const run = new SweepRun({ kind: 'scenario', scenario: { version: 1 } }, () => {}, {
      workers: 2,
      spawn: f.spawn,
    });
    const out = await run.result;
    expect(out.kind).toBe('error');
  });
});
