/**
 * Embed mode (`?embed=1`, or `#embed=1`: main.tsx): the memory map filling the iframe, large
 * type, the caption strip, a minimal step bar and an "Open in Fracture" link carrying the state.
 * No header, panels or dialogs; the iframe's URL is never rewritten; the deck drives it over
 * postMessage (useDeckMessages) and keeps its clicker keys (useEmbedKeys). A compare link embeds
 * A and B instead (CompareEmbed), with the same step bar, keys and messages.
 */
import { lazy, Suspense, useCallback, useMemo, useRef } from 'react';
import { usePlayback } from '../controls/usePlayback';
import { runCauses } from '../map/cause-colours';
import { MemoryMap } from '../map/MemoryMap';
import { CaptionStrip } from '../panels/CaptionStrip';
import { useRun } from '../run/session';
import { useStepView } from '../run/useStepView';
import { WorkerFailedBanner } from '../run/WorkerFailedBanner';
import { readCompareParams } from '../share/compare-url';
import { shareLink } from '../share/links';
import { useUi } from '../store';
import { EmbedNotices } from './EmbedNotices';
import { embedOptions } from './options';
import { StepBar } from './StepBar';
import { useDeckMessages } from './useDeckMessages';
import { useEmbedKeys } from './useEmbedKeys';
import { useEmbedTheme } from './useEmbedTheme';
import './embed.css';

// A compare embed brings B's worker, the difference map and the still maps: loaded only for one.
const CompareEmbed = lazy(() => import('./CompareEmbed'));

/** A compare link (`?cmpKernel=…`) embeds the comparison; anything else one scenario. */
export function EmbedApp() {
  if (!readCompareParams(window.location.search)) return <SingleEmbed />;
  return (
    <Suspense fallback={<div className="embed-root" />}>
      <CompareEmbed />
    </Suspense>
  );
}

function SingleEmbed() {
  const opts = embedOptions();
  const run = useRun();
  const { info, generation } = run;
  const step = useUi((s) => s.step);
  const theme = useEmbedTheme(opts.theme);
  const layer = useUi((s) => s.layer);
  const zoom = useUi((s) => s.zoom);
  const selectedPfn = useUi((s) => s.selectedPfn);
  const playing = useUi((s) => s.playing);
  const { view } = useStepView(step, generation);
  const autoplayed = useRef(false);

  const onReady = useCallback(() => {
    if (opts.autoplay && !autoplayed.current) {
      autoplayed.current = true;
      useUi.getState().togglePlaying();
    }
  }, [opts.autoplay]);
  useDeckMessages(onReady);
  useEmbedKeys();
  usePlayback();

  const ui = useUi.getState();
  const byCause = view?.byCause;
  const causes = useMemo(() => {
    const all = info ? runCauses(info) : undefined;
    if (!all || all.length === 0) return null;
    return { causes: all, present: new Set((byCause ?? []).map((r) => r.cause)) };
  }, [info, byCause]);
  const colourBy = opts.colour ?? (info && info.guests.length === 0 ? 'cause' : 'state');
  // Re-rendered on every step, layer or zoom change (the selectors above), so the link follows.
  const open = info ? shareLink() : '';
  return (
    <div className={`embed-root${opts.readonly ? ' readonly' : ''}`}>
      <div className="embed-stage">
        <div className="embed-top">
          <h1 className="embed-title">{info?.title ?? 'Loading…'}</h1>
          {info && (
            <a className="embed-open" href={open} target="_blank" rel="noopener">
              Open in Fracture ↗
            </a>
          )}
        </div>
        <EmbedNotices notices={run.notices} />
        <WorkerFailedBanner />
        <div className="embed-map">
          {info && (
            <MemoryMap
              snapshotStep={step}
              layer={layer}
              selectedPfn={selectedPfn}
              onSelect={(pfn) => {
                if (!opts.readonly) ui.selectPfn(pfn);
              }}
              onZoomChange={(z) => ui.setZoom(z)}
              theme={theme}
              animate={!playing}
              playing={playing}
              followDefault
              compact
              tipsOff={selectedPfn !== null}
              causes={causes}
              colourBy={colourBy}
              {...(zoom ? { zoom } : {})}
            />
          )}
          {run.loading && (
            <div className="map-busy" role="status">
              Running the scenario…
            </div>
          )}
        </div>
        {info && opts.caption && (
          <CaptionStrip info={info} step={step} caption={view?.caption ?? null} />
        )}
        {opts.controls !== 'none' && (
          <StepBar full={opts.controls === 'full'} hasInfo={info !== null} />
        )}
      </div>
    </div>
  );
}
