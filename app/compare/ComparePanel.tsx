/**
 * Compare A/B: the current scenario (A) and the same with another kernel design and/or backing
 * (B), each run in its own engine worker, driven by one step. Side by side: counters with
 * B − A, guests, and a difference map of the regions split to 4K in A, in B, in both.
 */
import { useEffect, useMemo, useState } from 'react';
import { BACKINGS, KERNEL_DESIGNS } from '../../src/machine/events';
import type {
  Backing,
  KernelDesign,
  MapSnapshot,
  RunInfo,
  StepView,
} from '../../src/worker/protocol';
import { BACKING_LABELS } from '../controls/scenario-edit';
import { useUi } from '../store';
import { loadSourceOf, type RunSource } from '../url';
import { type CompareParams, readCompareParams, writeCompareParams } from './compare-url';
import { DIFF_A, DIFF_B, DIFF_BOTH, DIFF_CSS, DiffMap, diffRegions } from './DiffMap';
import { type CompareEngine, createEngine } from './engines';
import { variantSource } from './open';
import { COUNTER_ROWS, fmtDelta } from './rows';

interface Side {
  engine: CompareEngine;
  info: RunInfo | null;
  errors: string[];
}

interface AtStep {
  step: number;
  a: { view: StepView; snap: MapSnapshot } | null;
  b: { view: StepView; snap: MapSnapshot } | null;
}

function defaults(info: RunInfo): Required<CompareParams> {
  const p = readCompareParams(window.location.search) ?? {};
  const backingA: Backing = info.guests[0]?.backing ?? 'thp';
  if (p.kernel || p.backing)
    return { kernel: p.kernel ?? info.kernel, backing: p.backing ?? backingA };
  return info.kernel !== 'upstream-2024'
    ? { kernel: 'upstream-2024', backing: backingA }
    : { kernel: info.kernel, backing: backingA === 'hugetlbfs-2m' ? 'thp' : 'hugetlbfs-2m' };
}

export function ComparePanel(props: { info: RunInfo; source: RunSource }) {
  const { info, source } = props;
  const theme = useUi((s) => s.theme);
  const zen = useUi((s) => s.zen);
  const [b, setB] = useState(() => defaults(info));
  const [step, setStep] = useState(() => useUi.getState().step);
  const [sides, setSides] = useState<{ a: Side; b: Side } | null>(null);
  const [at, setAt] = useState<AtStep | null>(null);

  // The address bar carries B, so a compare link reopens this view.
  useEffect(() => {
    writeCompareParams(b);
  }, [b]);
  useEffect(() => () => writeCompareParams(null), []);

  // Load A and B, each in its own worker.
  useEffect(() => {
    let live = true;
    const ea = createEngine();
    const eb = createEngine();
    const bSource = variantSource(source, info, b.kernel, b.backing);
    setSides(null);
    setAt(null);
    void Promise.all([ea.api.load(loadSourceOf(source)), eb.api.load(loadSourceOf(bSource))]).then(
      ([ra, rb]) => {
        if (!live) return;
        setSides({
          a: { engine: ea, info: ra.info, errors: ra.ok ? [] : ra.errors },
          b: { engine: eb, info: rb.info, errors: rb.ok ? [] : rb.errors },
        });
      },
    );
    return () => {
      live = false;
      ea.dispose();
      eb.dispose();
    };
  }, [source, info, b.kernel, b.backing]);

  const maxStep = Math.max(sides?.a.info?.steps ?? 0, sides?.b.info?.steps ?? 0);
  const shown = Math.min(step, maxStep);

  // One timeline drives both: ask both engines for the same step.
  useEffect(() => {
    if (!sides) return;
    let live = true;
    const ask = async (s: Side) => {
      if (!s.info) return null;
      const k = Math.min(shown, s.info.steps);
      const [view, snap] = await Promise.all([s.engine.api.stepView(k), s.engine.api.snapshot(k)]);
      return { view, snap };
    };
    void Promise.all([ask(sides.a), ask(sides.b)]).then(([a, bb]) => {
      if (live) setAt({ step: shown, a, b: bb });
    });
    return () => {
      live = false;
    };
  }, [sides, shown]);

  const diff = useMemo(
    () => (at?.a && at.b ? diffRegions(at.a.snap.regionLevel, at.b.snap.regionLevel) : null),
    [at],
  );

  const labelA = `${info.kernel} · ${sideBacking(info)}`;
  const labelB = `${b.kernel} · ${BACKING_LABELS[b.backing]}`;
  return (
    <div className="compare">
      <div className="compare-controls">
        <span>
          <strong>A</strong>: this scenario ({labelA})
        </span>
        <span>
          <strong>B</strong>:
        </span>
        <label className="field">
          <span>B kernel design</span>
          <select
            value={b.kernel}
            onChange={(e) => setB({ ...b, kernel: e.currentTarget.value as KernelDesign })}
          >
            {KERNEL_DESIGNS.map((k) => (
              <option key={k} value={k}>
                {info.designs.find((d) => d.id === k)?.label ?? k}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>B backing</span>
          <select
            value={b.backing}
            onChange={(e) => setB({ ...b, backing: e.currentTarget.value as Backing })}
          >
            {BACKINGS.map((x) => (
              <option key={x} value={x}>
                {BACKING_LABELS[x]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="compare-timeline">
        <button
          type="button"
          className="text-button"
          aria-label="Compare: previous step"
          disabled={shown <= 0}
          onClick={() => setStep(Math.max(0, shown - 1))}
        >
          ◀
        </button>
        <input
          type="range"
          aria-label="Compare step"
          min={0}
          max={maxStep}
          value={shown}
          disabled={!sides}
          onChange={(e) => setStep(Number(e.currentTarget.value))}
        />
        <button
          type="button"
          className="text-button"
          aria-label="Compare: next step"
          disabled={shown >= maxStep}
          onClick={() => setStep(Math.min(maxStep, shown + 1))}
        >
          ▶
        </button>
        <span aria-live="polite">
          step {shown} / {maxStep}
        </span>
      </div>
      {!sides && <p role="status">Running A and B in two engine workers…</p>}
      {sides && [sides.a, sides.b].some((s) => s.errors.length > 0) && (
        <div className="tools-error" role="alert">
          {[...sides.a.errors.map((e) => `A: ${e}`), ...sides.b.errors.map((e) => `B: ${e}`)].join(
            '; ',
          )}
        </div>
      )}
      {at?.a && at.b && (
        <div className="compare-grid">
          <table className="tools-table compare-counters" aria-label="Compare counters">
            <thead>
              <tr>
                <th scope="col">at step {at.step}</th>
                <th scope="col">A: {labelA}</th>
                <th scope="col">B: {labelB}</th>
                <th scope="col">B − A</th>
              </tr>
            </thead>
            <tbody>
              {COUNTER_ROWS(zen).map((r) => {
                const va = r.value(at.a!.view.metrics);
                const vb = r.value(at.b!.view.metrics);
                const d = vb - va;
                return (
                  <tr key={r.label}>
                    <th scope="row" title={r.title}>
                      {r.label}
                    </th>
                    <td className="num">{r.fmt(va)}</td>
                    <td className="num">{r.fmt(vb)}</td>
                    <td className={`num ${d > 0 ? 'delta-up' : d < 0 ? 'delta-down' : ''}`}>
                      {fmtDelta(r, d)}
                    </td>
                  </tr>
                );
              })}
              <tr>
                <th scope="row">Guests</th>
                <td>{guestText(at.a.view)}</td>
                <td>{guestText(at.b.view)}</td>
                <td />
              </tr>
            </tbody>
          </table>
          {diff && (
            <figure className="compare-diff">
              <DiffMap
                codes={diff.codes}
                theme={theme}
                label={`Difference map at step ${at.step}: regions split to 4K in A, in B, in both`}
              />
              <figcaption>
                <ul className="diff-legend" aria-label="Difference map legend">
                  <li>
                    <i style={{ background: DIFF_CSS(theme, DIFF_A) }} /> split in A, not B:{' '}
                    {diff.counts.aOnly}
                  </li>
                  <li>
                    <i style={{ background: DIFF_CSS(theme, DIFF_B) }} /> split in B, not A:{' '}
                    {diff.counts.bOnly}
                  </li>
                  <li>
                    <i style={{ background: DIFF_CSS(theme, DIFF_BOTH) }} /> split in both:{' '}
                    {diff.counts.both}
                  </li>
                  <li>
                    <i style={{ background: DIFF_CSS(theme, 0) }} /> neither: {diff.counts.neither}
                  </li>
                </ul>
                One pixel per 2 MiB region, 64 MiB per row; "split" means mapped with 4K pages.
              </figcaption>
            </figure>
          )}
        </div>
      )}
    </div>
  );
}

function sideBacking(info: RunInfo): string {
  const bs = new Set(info.guests.map((g) => g.backing));
  return bs.size === 1 ? BACKING_LABELS[[...bs][0]!] : 'mixed backing';
}

function guestText(v: StepView): string {
  if (v.guests.length === 0) return '—';
  return v.guests.map((g) => `${g.name}: ${g.status}`).join(', ');
}
