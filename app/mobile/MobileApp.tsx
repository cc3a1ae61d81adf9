/**
 * The phone viewer: a link opened from a mail on a phone shows the map, the step's caption, the
 * step controls and the direct-map counters with their change since the step before — read-only
 * (authoring, compare, sweep, import and export stay on the desktop explorer). The address bar
 * follows the step as in the explorer, so the link copied here opens the same step anywhere.
 */
import { useEffect } from 'react';
import { usePlayback } from '../controls/usePlayback';
import { useEmbedKeys } from '../embed/useEmbedKeys';
import { MemoryMap } from '../map/MemoryMap';
import { CaptionStrip } from '../panels/CaptionStrip';
import { NoticeBanner } from '../panels/NoticeBanner';
import { useRun } from '../run/session';
import { useStepView } from '../run/useStepView';
import { WorkerFailedBanner } from '../run/WorkerFailedBanner';
import { CopyButton } from '../share/CopyButton';
import { shareLink } from '../share/links';
import { useUrlSync } from '../share/useUrlSync';
import { useUi } from '../store';
import { MobileCounters } from './MobileCounters';
import { MobileStepBar } from './MobileStepBar';
import './mobile.css';

export function MobileApp() {
  const run = useRun();
  const { info, generation } = run;
  const step = useUi((s) => s.step);
  const theme = useUi((s) => s.theme);
  const layer = useUi((s) => s.layer);
  const zoom = useUi((s) => s.zoom);
  const selectedPfn = useUi((s) => s.selectedPfn);
  const playing = useUi((s) => s.playing);
  const { view, prev } = useStepView(step, generation);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useUrlSync();
  usePlayback();
  useEmbedKeys();
  const ui = useUi.getState();
  const guests = info?.guests.map((g) => `${g.name} (${g.backing})`).join(', ') ?? '';
  return (
    <div className="mobile-root">
      <header className="mobile-head">
        <span className="mobile-brand">Fracture</span>
        <h1 className="mobile-title">{info?.title ?? 'Loading…'}</h1>
        {info && (
          <p className="mobile-sub">
            kernel {info.kernel}
            {guests ? ` · ${guests}` : ''}
          </p>
        )}
      </header>
      <WorkerFailedBanner />
      {run.notices.length > 0 && <NoticeBanner notices={run.notices} />}
      <main className="mobile-main">
        <section className="mobile-map" aria-label="Map">
          {info && (
            <MemoryMap
              snapshotStep={step}
              layer={layer}
              selectedPfn={selectedPfn}
              onSelect={(pfn) => ui.selectPfn(pfn)}
              onZoomChange={(z) => ui.setZoom(z)}
              theme={theme}
              animate={!playing}
              {...(zoom ? { zoom } : {})}
            />
          )}
          {run.loading && (
            <div className="map-busy" role="status">
              Running the scenario…
            </div>
          )}
        </section>
        {info && <CaptionStrip info={info} step={step} caption={view?.caption ?? null} />}
        {view && <MobileCounters view={view} prev={prev} />}
        <footer className="mobile-foot">
          <p>
            A read-only view for narrow screens. Editing the scenario, compare, sweep, import and
            export are in the explorer on a screen at least 700 px wide.
          </p>
          {info && <CopyButton text={shareLink()} label="Copy link to this step" />}
        </footer>
      </main>
      <MobileStepBar hasInfo={info !== null} marks={info?.marks ?? null} />
    </div>
  );
}
