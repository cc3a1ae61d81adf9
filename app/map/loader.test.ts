import { describe, expect, it } from 'vitest';
import { LEVEL_2M, type MapSnapshot, RF_MIXED } from '../../src/worker/protocol';
import { type Loaded, MapLoader, type MapRun, type MapSource, type MapWant } from './loader';

/** A promise with its settle functions, so a test decides when the engine answers. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function snap(step: number, regions = 4, mixed: number[] = []): MapSnapshot {
  const s: MapSnapshot = {
    step,
    regions,
    regionCode: new Uint8Array(regions),
    regionLevel: new Uint8Array(regions).fill(LEVEL_2M),
    regionFlags: new Uint8Array(regions),
    regionUserLevel: new Uint8Array(regions),
  };
  for (const r of mixed) s.regionFlags[r] = RF_MIXED;
  return s;
}

/** A fake engine: every call is recorded and waits until the test settles it. */
class FakeSource implements MapSource {
  readonly calls: { method: string; args: unknown[]; answer: ReturnType<typeof deferred> }[] = [];
  private call<T>(method: string, args: unknown[]): Promise<T> {
    const answer = deferred<T>();
    this.calls.push({ method, args, answer: answer as ReturnType<typeof deferred> });
    return answer.promise;
  }
  snapshot(step: number) {
    return this.call<MapSnapshot>('snapshot', [step]);
  }
  guestSnapshot(step: number, guest: number) {
    return this.call<MapSnapshot>('guestSnapshot', [step, guest]);
  }
  cellsAt(step: number, regions: readonly number[]) {
    return this.call<Uint8Array>('cellsAt', [step, regions]);
  }
  guestCellsAt(step: number, guest: number, chunks: readonly number[]) {
    return this.call<Uint8Array>('guestCellsAt', [step, guest, chunks]);
  }
}

/** Let the loader's promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(want: MapWant = { step: 0, guest: null }) {
  const source = new FakeSource();
  const run: { current: MapRun } = { current: { generation: 1, info: { guests: [] } } };
  const loads: Loaded[] = [];
  const errors: unknown[] = [];
  const w = { current: want };
  const loader = new MapLoader({
    source,
    run: () => run.current,
    want: () => w.current,
    onLoad: (next) => loads.push(next),
    onError: (e) => errors.push(e),
  });
  return { source, run, loads, errors, want: w, loader };
}

describe('MapLoader', () => {
  it('asks nothing before the first run is loaded', () => {
    const t = setup();
    t.run.current = { generation: 0, info: null };
    t.loader.sync();
    expect(t.source.calls).toHaveLength(0);
  });

  it('coalesces requests: one in flight, then only the latest want', async () => {
    const t = setup({ step: 1, guest: null });
    t.loader.sync();
    for (const step of [2, 3, 4]) {
      t.want.current = { step, guest: null };
      t.loader.sync();
    }
    expect(t.source.calls.map((c) => c.args)).toEqual([[1]]);
    t.source.calls[0]!.answer.resolve(snap(1));
    await settle();
    // The answer for step 1 is still this run's picture: shown, then step 4 is asked (not 2, 3).
    expect(t.loads.map((l) => l.step)).toEqual([1]);
    expect(t.source.calls.map((c) => c.args)).toEqual([[1], [4]]);
    expect(t.loader.settled).toBe(false);
    t.source.calls[1]!.answer.resolve(snap(4));
    await settle();
    expect(t.loads.map((l) => l.step)).toEqual([1, 4]);
    expect(t.loader.settled).toBe(true);
    t.loader.sync();
    expect(t.source.calls).toHaveLength(2);
  });

  it("drops an answer for a run that has been replaced, and asks for the new run's", async () => {
    const t = setup();
    t.loader.sync();
    t.run.current = { generation: 2, info: { guests: [] } };
    t.loader.sync();
    t.source.calls[0]!.answer.resolve(snap(0));
    await settle();
    expect(t.loads).toHaveLength(0);
    expect(t.loader.loaded).toBeNull();
    expect(t.source.calls).toHaveLength(2);
    t.source.calls[1]!.answer.resolve(snap(0));
    await settle();
    expect(t.loads.map((l) => l.key)).toEqual(['2|0|host']);
  });

  it('surfaces a failed request and tries again on the next sync', async () => {
    const t = setup();
    t.loader.sync();
    const boom = new Error('worker died');
    t.source.calls[0]!.answer.reject(boom);
    await settle();
    expect(t.errors).toEqual([boom]);
    expect(t.loader.error).toBe(boom);
    expect(t.loader.settled).toBe(false);
    t.loader.sync();
    expect(t.source.calls).toHaveLength(2);
    t.source.calls[1]!.answer.resolve(snap(0));
    await settle();
    expect(t.loader.error).toBeNull();
    expect(t.loads).toHaveLength(1);
  });

  it("asks a guest's GPA space of the guest view, keyed apart from the host", async () => {
    const t = setup({ step: 3, guest: 1 });
    t.loader.sync();
    expect(t.source.calls.map((c) => [c.method, ...c.args])).toEqual([['guestSnapshot', 3, 1]]);
    t.source.calls[0]!.answer.resolve(snap(3));
    await settle();
    expect(t.loads[0]).toMatchObject({ key: '1|3|g1', space: 'g1', guest: 1 });
  });

  it('fetches cells of mixed, uncached regions only, and keeps them per snapshot', async () => {
    const t = setup();
    t.loader.sync();
    t.source.calls[0]!.answer.resolve(snap(0, 8, [1, 2, 5]));
    await settle();
    const d = t.loader.loaded!;
    const first = t.loader.fetchCells(d, [0, 1, 2, 3], () => false);
    const ask = t.source.calls[1]!;
    expect([ask.method, ...ask.args]).toEqual(['cellsAt', 0, [1, 2]]);
    ask.answer.resolve(new Uint8Array(2 * 512).fill(7, 512));
    expect(await first).toBe(true);
    expect([...t.loader.cells.keys()]).toEqual([1, 2]);
    expect(t.loader.cells.get(2)![0]).toBe(7);
    const second = t.loader.fetchCells(d, [1, 2, 5], () => false);
    expect(t.source.calls[2]!.args).toEqual([0, [5]]);
    t.source.calls[2]!.answer.resolve(new Uint8Array(512));
    expect(await second).toBe(true);
    // A new snapshot starts an empty cache.
    t.want.current = { step: 1, guest: null };
    t.loader.sync();
    t.source.calls[3]!.answer.resolve(snap(1, 8, [1]));
    await settle();
    expect(t.loader.cells.size).toBe(0);
  });

  it('stops fetching cells once the answer is no longer wanted', async () => {
    const t = setup();
    t.loader.sync();
    t.source.calls[0]!.answer.resolve(snap(0, 8, [1]));
    await settle();
    const p = t.loader.fetchCells(t.loader.loaded!, [1], () => true);
    t.source.calls[1]!.answer.resolve(new Uint8Array(512));
    expect(await p).toBe(false);
    expect(t.loader.cells.size).toBe(0);
  });
});
