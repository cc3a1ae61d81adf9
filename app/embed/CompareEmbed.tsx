/**
 * A compare embed (`?embed=1&cmpKernel=…&cmpBacking=…[&cmpView=side]#scenario`): A (the linked
 * scenario, run by the page's engine as any embed's) and B (the same with another design or
 * backing, in a worker of its own) on one 16:9 stage, as the difference map or side by side, with
 * the headline counters of both. One timeline drives both: the step bar, the embed's keys and the
 * deck's fracture:* messages move the page's one step, exactly as in a single embed.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { RunInfo, StepView } from '../../src/worker/protocol';
import { DiffLegend, DiffMap, diffRegions } from '../compare/DiffMap';
import { variantSource } from '../compare/open';
import { SnapshotMap } from '../compare/SnapshotMap';
import { defaultB, sideBacking } from '../compare/sides';
import { type Side, useAtStep, useBootLevels, useSide } from '../compare/useCompare';
import { BACKING_LABELS } from '../controls/scenario-edit';
import { usePlayback } from '../controls/usePlayback';
import { getEngine } from '../engine-client';
import { CaptionStrip } from '../panels/CaptionStrip';
import { formatCount } from '../panels/format';
import { useRun } from '../run/session';
import { readCompareParams, withCompareParams } from '../share/compare-url';
import { shareLink } from '../share/links';
import { useUi } from '../store';
import { EmbedNotices } from './EmbedNotices';
import type { CompareView } from './messages';
import { embedOptions } from './options';
import { StepBar } from './StepBar';
import { useDeckMessages } from './useDeckMessages';
import { useEmbedKeys } from './useEmbedKeys';
import { useEmbedTheme } from './useEmbedTheme';
import './embed.css';

/** A is the page's own run: the engine every embed loads its fragment into. */
function usePageSide(info: RunInfo | null, generation: number): Side | null {
  return useMemo(
    () =>
      info && generation > 0
        ? { engine: { api: getEngine(), dispose: () => {} }, info, errors: [] }
        : null,
    [info, generation],
  );
}

const mib = (kb: number) => `${formatCount(Math.round(kb / 1024))} MiB`;

function Headline(props: { view: StepView }) {
  const m = props.view.metrics;
  const splits = m.vmstat.direct_map_level2_splits + m.vmstat.direct_map_level3_splits;
  return (
    <p className="cmp-embed-counters">
      4K {mib(m.meminfo.DirectMap4k)} · 2M {mib(m.meminfo.DirectMap2M)} · splits{' '}
      {formatCount(splits)} · RMP faults {formatCount(m.outcomes.rmp_faults)} · killed{' '}
      {formatCount(m.outcomes.guests_killed)}
    </p>
  );
}

export default function CompareEmbed() {
  const opts = embedOptions();
  const params = useMemo(() => readCompareParams(window.location.search) ?? {}, []);
  const run = useRun();
  const { info, source, generation } = run;
  const step = useUi((s) => s.step);
  const theme = useEmbedTheme(opts.theme);
  const layer = useUi((s) => s.layer);
  const zoom = useUi((s) => s.zoom);
  const selectedPfn = useUi((s) => s.selectedPfn);
  const [view, setView] = useState<CompareView>(params.view ?? 'diff');
  const autoplayed = useRef(false);

  const b = useMemo(() => (info ? defaultB(info, params) : null), [info, params]);
  const bSource = useMemo(
    () => (info && source && b ? variantSource(source, info, b.kernel, b.backing) : null),
    [info, source, b],
  );
  const sideA = usePageSide(info, generation);
  const sideB = useSide(bSource);
  const boot = useBootLevels(sideA);
  const at = useAtStep(sideA, sideB, step);
  const diff = useMemo(
    () => (at?.a && at.b ? diffRegions(at.a.snap.regionLevel, at.b.snap.regionLevel, boot) : null),
    [at, boot],
  );

  const onReady = useCallback(() => {
    if (opts.autoplay && !autoplayed.current) {
      autoplayed.current = true;
      useUi.getState().togglePlaying();
    }
  }, [opts.autoplay]);
  const readyCompare = useMemo(
    () =>
      info && b && sideB?.info
        ? {
            a: { kernel: info.kernel, backing: info.guests[0]?.backing ?? 'thp' },
            b: { kernel: b.kernel, backing: b.backing },
            view,
          }
        : null,
    [info, b, sideB, view],
  );
  useDeckMessages(onReady, { ready: readyCompare, onCompareView: setView });
  useEmbedKeys();
  usePlayback();

  const labelA = info ? `${info.kernel} · ${sideBacking(info)}` : 'A';
  const labelB = b ? `${b.kernel} · ${BACKING_LABELS[b.backing]}` : 'B';
  const open = info && b ? withCompareParams(shareLink(), { ...b, view }) : '';
  const errors = sideB?.errors ?? [];
  return (
    <div className={`embed-root${opts.readonly ? ' readonly' : ''}`}>
      <div className="embed-stage cmp-embed">
        <div className="embed-top">
          <h1 className="embed-title">
            {info ? `${info.title}: A ${labelA} vs B ${labelB}` : 'Loading…'}
          </h1>
          {open && (
            <a className="embed-open" href={open} target="_blank" rel="noopener">
              Open in Fracture ↗
            </a>
          )}
        </div>
        <EmbedNotices notices={run.notices} />
        <div className="embed-map cmp-embed-body">
          {errors.length > 0 && (
            <p className="cmp-embed-error" role="alert">
              B: {errors.join('; ')}
            </p>
          )}
          {at?.a && at.b && view === 'side' && (
            <div className="cmp-embed-side">
              {(
                [
                  ['A', labelA, at.a],
                  ['B', labelB, at.b],
                ] as const
              ).map(([k, label, s]) => (
                <figure key={k} className="cmp-embed-pane">
                  <figcaption>
                    <strong>{k}</strong> {label}
                  </figcaption>
                  <SnapshotMap
                    snap={s.snap}
                    layer={layer}
                    theme={theme}
                    zoom={zoom}
                    selectedPfn={selectedPfn}
                    label={`${k} (${label}) memory map at step ${at.step}`}
                  />
                  <Headline view={s.view} />
                </figure>
              ))}
            </div>
          )}
          {at?.a && at.b && view === 'diff' && diff && (
            <div className="cmp-embed-diff">
              <DiffMap
                codes={diff.codes}
                theme={theme}
                fit
                label={`Difference map at step ${at.step}: regions split in A, in B, in both`}
              />
              <div className="cmp-embed-legend">
                <DiffLegend counts={diff.counts} theme={theme} />
                <p>
                  <strong>A</strong> {labelA}
                </p>
                <Headline view={at.a.view} />
                <p>
                  <strong>B</strong> {labelB}
                </p>
                <Headline view={at.b.view} />
              </div>
            </div>
          )}
          {(!at?.a || !at.b) && errors.length === 0 && (
            <div className="map-busy" role="status">
              Running A and B…
            </div>
          )}
        </div>
        {info && opts.caption && (
          <CaptionStrip info={info} step={step} caption={at?.a?.view.caption ?? null} />
        )}
        {opts.controls !== 'none' && (
          <StepBar full={opts.controls === 'full'} hasInfo={info !== null && sideB !== null} />
        )}
      </div>
    </div>
  );
}
