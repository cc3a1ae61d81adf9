/// <reference lib="webworker" />
/**
 * The worker entry: the engine host behind comlink. Typed arrays in answers are transferred,
 * not copied (a 16 TiB snapshot is 32 MiB).
 */
import { expose, transfer } from 'comlink';
import { EngineHost } from './host';
import type { EngineApi, MapSnapshot } from './protocol';

const host = new EngineHost();

const moveSnapshot = (s: MapSnapshot) => {
  // Each buffer once: transferring one twice is a DataCloneError.
  const buffers = new Set(
    [s.regionCode, s.regionLevel, s.regionFlags, s.regionUserLevel].map((a) => a.buffer),
  );
  return transfer(s, [...buffers]);
};
const moveBytes = (a: Uint8Array) => transfer(a, [a.buffer]);

const api: EngineApi & Pick<EngineHost, 'cellsAt' | 'guestCellsAt' | 'guestSnapshot'> = {
  protocolVersion: () => host.protocolVersion(),
  load: async (source) => {
    const r = host.load(source);
    if (!r.info) return r;
    const { series, marks } = r.info;
    const buffers = [series.steps.buffer, marks.steps.buffer, marks.kinds.buffer];
    for (const c of Object.values(series.columns)) buffers.push(c.buffer);
    return transfer(r, buffers);
  },
  snapshot: async (step) => moveSnapshot(host.snapshot(step)),
  cells: async (step, first, count) => moveBytes(host.cells(step, first, count)),
  cellsAt: (step, regions) => moveBytes(host.cellsAt(step, regions)),
  guestCells: async (step, g, first, count) => moveBytes(host.guestCells(step, g, first, count)),
  guestCellsAt: (step, g, chunks) => moveBytes(host.guestCellsAt(step, g, chunks)),
  guestSnapshot: (step, g) => moveSnapshot(host.guestSnapshot(step, g)),
  stepView: async (step) => host.stepView(step),
  outcomes: async (q) => host.outcomes(q),
  outcomeIndexAt: async (step) => host.outcomeIndexAt(step),
  findOutcome: async (step, kind, dir) => host.findOutcome(step, kind, dir),
  inspect: async (step, pfn) => host.inspect(step, pfn),
  rule: async (id) => host.rule(id),
  texts: async (step) => host.texts(step),
  shareFragment: async (view) => host.shareFragment(view),
};

expose(api);
