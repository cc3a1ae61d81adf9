/**
 * Compare A/B: the current scenario (A) and the same with another kernel design and/or backing
 * (B), each run in its own engine worker, driven by the explorer's one step (so the share dialog,
 * the address bar and closing compare all agree on it). Counters with B − A, charts of both runs,
 * and the difference map or both maps side by side; a link and an iframe snippet for the
 * comparison itself.
 */
import { useEffect, useMemo, useState } from 'react';
import type {
  Backing,
  KernelDesign,
  RunInfo,
  StepView,
  ZenGeneration,
} from '../../src/worker/protocol';
import { BACKINGS, KERNEL_DESIGNS } from '../../src/worker/protocol';
import { BACKING_LABELS } from '../controls/scenario-edit';
import { CopyButton } from '../share/CopyButton';
import {
  type CompareParams,
  type CompareView,
  readCompareParams,
  withCompareParams,
  writeCompareParams,
} from '../share/compare-url';
import { embedLink, iframeSnippet, shareLink } from '../share/links';
import { useUi } from '../store';
import type { RunSource } from '../url';
import { CompareCharts } from './CompareCharts';
import { DiffLegend, DiffMap, diffRegions } from './DiffMap';
import { variantSource } from './open';
import { COUNTER_ROWS, fmtDelta } from './rows';
import { SnapshotMap } from './SnapshotMap';
import { defaultB, sideBacking } from './sides';
import { type AtStep, useAtStep, useBootLevels, useSide } from './useCompare';

export function ComparePanel(props: { info: RunInfo; source: RunSource }) {
  const { info, source } = props;
  const theme = useUi((s) => s.theme);
  const zen = useUi((s) => s.zen);
  const layer = useUi((s) => s.layer);
  const step = useUi((s) => s.step);
  const [b, setB] = useState(() => defaultB(info, readCompareParams(window.location.search)));
  const [view, setView] = useState<CompareView>(
    () => readCompareParams(window.location.search)?.view ?? 'diff',
  );

  // The address bar carries B, so a compare link (or embed) reopens this view.
  useEffect(() => {
    writeCompareParams({ ...b, view });
  }, [b, view]);
  useEffect(() => () => writeCompareParams(null), []);

  const bSource = useMemo(
    () => variantSource(source, info, b.kernel, b.backing),
    [source, info, b.kernel, b.backing],
  );
  const sideA = useSide(source);
  const sideB = useSide(bSource);
  const boot = useBootLevels(sideA);
  const maxStep = Math.max(sideA?.info?.steps ?? 0, sideB?.info?.steps ?? 0);
  const shown = Math.min(step, maxStep);
  const at = useAtStep(sideA, sideB, shown);
  const seek = (s: number) => {
    const ui = useUi.getState();
    ui.setPlaying(false);
    ui.seek(s);
  };

  const diff = useMemo(
    () => (at?.a && at.b ? diffRegions(at.a.snap.regionLevel, at.b.snap.regionLevel, boot) : null),
    [at, boot],
  );

  const labelA = `${info.kernel} · ${sideBacking(info)}`;
  const labelB = `${b.kernel} · ${BACKING_LABELS[b.backing]}`;
  const loaded = sideA !== null && sideB !== null;
  const errors = [
    ...(sideA?.errors ?? []).map((e) => `A: ${e}`),
    ...(sideB?.errors ?? []).map((e) => `B: ${e}`),
  ];
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
        <div className="segments" role="radiogroup" aria-label="Compare view">
          {(
            [
              ['diff', 'Difference map'],
              ['side', 'Side by side'],
            ] as const
          ).map(([v, text]) => (
            <label key={v} className={view === v ? 'checked' : ''}>
              <input
                type="radio"
                name="compare-view"
                value={v}
                checked={view === v}
                onChange={() => setView(v)}
              />
              {text}
            </label>
          ))}
        </div>
      </div>
      <div className="compare-timeline">
        <button
          type="button"
          className="text-button"
          aria-label="Compare: previous step"
          disabled={shown <= 0}
          onClick={() => seek(shown - 1)}
        >
          ◀
        </button>
        <input
          type="range"
          aria-label="Compare step"
          min={0}
          max={maxStep}
          value={shown}
          disabled={!loaded}
          onChange={(e) => seek(Number(e.currentTarget.value))}
        />
        <button
          type="button"
          className="text-button"
          aria-label="Compare: next step"
          disabled={shown >= maxStep}
          onClick={() => seek(shown + 1)}
        >
          ▶
        </button>
        <span aria-live="polite">
          step {shown} / {maxStep}
        </span>
      </div>
      {!loaded && <p role="status">Running A and B in two engine workers…</p>}
      {errors.length > 0 && (
        <div className="tools-error" role="alert">
          {errors.join('; ')}
        </div>
      )}
      {at?.a && at.b && (
        <div className="compare-grid">
          <CounterTable at={at} labelA={labelA} labelB={labelB} zen={zen} />
          {view === 'diff' && diff ? (
            <figure className="compare-diff">
              <DiffMap
                codes={diff.codes}
                theme={theme}
                label={`Difference map at step ${at.step}: regions split in A, in B, in both`}
              />
              <figcaption>
                <DiffLegend counts={diff.counts} theme={theme} />
                One square per 2 MiB region, laid out as the memory map (a 1 GiB block is 32 × 16
                regions); "split" means mapped with 4K pages; striped: that 1 GiB block is still one
                1G mapping on the other side.
              </figcaption>
            </figure>
          ) : (
            <div className="compare-side">
              {(
                [
                  ['A', labelA, at.a],
                  ['B', labelB, at.b],
                ] as const
              ).map(([k, label, s]) => (
                <figure key={k} className="compare-side-map">
                  <figcaption>
                    <strong>{k}</strong>: {label}
                  </figcaption>
                  <SnapshotMap
                    snap={s.snap}
                    layer={layer}
                    theme={theme}
                    label={`${k} (${label}) memory map at step ${at.step}`}
                  />
                </figure>
              ))}
            </div>
          )}
        </div>
      )}
      {sideA?.info && sideB?.info && (
        <CompareCharts
          a={sideA.info.series}
          b={sideB.info.series}
          gbpages={info.gbpages}
          step={shown}
          maxStep={maxStep}
          onSeek={seek}
        />
      )}
      {loaded && (
        <ShareCompare params={{ ...b, view }} title={`${info.title}: ${labelA} vs ${labelB}`} />
      )}
    </div>
  );
}

function CounterTable(props: { at: AtStep; labelA: string; labelB: string; zen: ZenGeneration }) {
  const { at, labelA, labelB, zen } = props;
  if (!at.a || !at.b) return null;
  const a = at.a.view;
  const b = at.b.view;
  return (
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
          const va = r.value(a.metrics);
          const vb = r.value(b.metrics);
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
          <td>{guestText(a)}</td>
          <td>{guestText(b)}</td>
          <td />
        </tr>
      </tbody>
    </table>
  );
}

/** The comparison's own link and iframe snippet (the address bar already carries B and the step). */
function ShareCompare(props: { params: CompareParams; title: string }) {
  // Re-rendered with the panel on every step and B change, so both follow.
  const link = withCompareParams(shareLink(), props.params);
  const snippet = iframeSnippet(withCompareParams(embedLink(), props.params), props.title);
  return (
    <section className="compare-share" aria-label="Share this comparison">
      <label className="stack">
        <span>Link to this comparison</span>
        <input
          readOnly
          value={link}
          aria-label="Compare link"
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <CopyButton text={link} label="Copy compare link" />
      <label className="stack">
        <span>Embed this comparison in slides (iframe)</span>
        <textarea readOnly rows={2} value={snippet} aria-label="Compare iframe snippet" />
      </label>
      <CopyButton text={snippet} label="Copy compare embed" />
    </section>
  );
}

function guestText(v: StepView): string {
  if (v.guests.length === 0) return '—';
  return v.guests.map((g) => `${g.name}: ${g.status}`).join(', ');
}
