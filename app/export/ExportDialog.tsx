/**
 * Export: slides (PNG with the link in its metadata, SVG) at a presenter's size (1920×1080,
 * 1280×720, 1024×768 for 4:3 projectors, 3840×2160), light or dark; every captioned step as
 * numbered PNGs in a zip, a WebM of a step range, and text — /proc/meminfo, /proc/vmstat, the
 * ptdump and the 80-column mailing-list report — each one click to copy.
 */
import { zipSync } from 'fflate';
import { useEffect, useState } from 'react';
import { version } from '../../package.json';
import type { RunInfo } from '../../src/worker/protocol';
import { getEngine } from '../engine-client';
import { CopyButton } from '../share/CopyButton';
import { Dialog, download } from '../share/Dialog';
import { useUi } from '../store';
import { type ExportView, fileStem, linkOf, mapSvg, renderPng } from './render';
import { buildReport } from './report-client';
import { SLIDE_SIZE_LIST, SLIDE_SIZES, type SlideSize } from './slide-text';
import type { SvgTheme } from './svg';
import { canRecordVideo, MAX_VIDEO_STEPS, recordSteps } from './video';

type Texts = { meminfo: string; vmstat: string; ptdump: string; report: string };

function useTexts(view: ExportView): Texts | null {
  const [texts, setTexts] = useState<Texts | null>(null);
  const { step } = view;
  const scenario = view.info.scenario;
  const link = linkOf(view);
  useEffect(() => {
    let live = true;
    void Promise.all([getEngine().texts(step), buildReport(scenario, step, link, version)]).then(
      ([t, report]) => {
        if (live) setTexts({ ...t, report });
      },
    );
    return () => {
      live = false;
    };
  }, [step, link, scenario]);
  return texts;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export default function ExportDialog(props: { info: RunInfo; step: number; onClose(): void }) {
  const { info, step, onClose } = props;
  const appTheme = useUi((s) => s.theme);
  const zoom = useUi((s) => s.zoom);
  const layer = useUi((s) => s.layer);
  const [theme, setTheme] = useState<SvgTheme>(appTheme);
  const [size, setSize] = useState<SlideSize>('1920x1080');
  const [busy, setBusy] = useState('');
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(Math.min(info.steps, step > 0 ? step : 30));
  const base = { info, theme, zoom, layer, size };
  const view: ExportView = { ...base, step };
  const sizeName = SLIDE_SIZES[size].label;
  const texts = useTexts(view);

  const run = async (label: string, job: () => Promise<void>) => {
    setBusy(label);
    try {
      await job();
      setBusy('');
    } catch (e) {
      setBusy(`Failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const png = () =>
    run(`Drawing ${sizeName}…`, async () => {
      const bytes = await renderPng(view);
      download(
        new Blob([bytes as BlobPart], { type: 'image/png' }),
        `${fileStem(view)}-${size}-${theme}.png`,
      );
    });
  const svg = () =>
    run('Writing SVG…', async () => {
      const text = await mapSvg(view);
      download(
        new Blob([text], { type: 'image/svg+xml' }),
        `${fileStem(view)}-${size}-${theme}.svg`,
      );
    });
  const batch = () =>
    run('Drawing captioned steps…', async () => {
      const files: Record<string, Uint8Array> = {};
      const width = String(info.captions.length).length;
      // One at a time: each step asks the worker for a snapshot and draws a slide-sized canvas.
      for (const [i, c] of info.captions.entries()) {
        setBusy(`Drawing captioned step ${i + 1} of ${info.captions.length}…`);
        const bytes = await renderPng({ ...base, step: c.step });
        files[`${pad(i + 1, Math.max(2, width))}-step-${c.step}.png`] = bytes;
      }
      const zip = zipSync(files, { level: 0 });
      download(
        new Blob([zip as BlobPart], { type: 'application/zip' }),
        `${fileStem({ info, step: 0 }).replace(/-step-0$/, '')}-captions.zip`,
      );
    });
  const video = () =>
    run('Recording…', async () => {
      const a = Math.max(0, Math.min(from, to));
      const b = Math.min(info.steps, Math.max(from, to), a + MAX_VIDEO_STEPS - 1);
      const blob = await recordSteps(base, a, b, 4, (d, n) =>
        setBusy(`Recording step ${d} of ${n}…`),
      );
      download(blob, `${fileStem(view).replace(/-step-\d+$/, '')}-steps-${a}-${b}.webm`);
    });

  return (
    <Dialog title={`Export step ${step}`} onClose={onClose} className="export-dialog">
      <section aria-label="Images">
        <h3>Slide images</h3>
        <div className="row">
          <label className="field">
            <span>Theme</span>
            <select value={theme} onChange={(e) => setTheme(e.currentTarget.value as SvgTheme)}>
              <option value="light">light</option>
              <option value="dark">dark</option>
            </select>
          </label>
          <label className="field">
            <span>Size</span>
            <select value={size} onChange={(e) => setSize(e.currentTarget.value as SlideSize)}>
              {SLIDE_SIZE_LIST.map((s) => (
                <option key={s} value={s}>
                  {SLIDE_SIZES[s].label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="text-button" onClick={png}>
            PNG
          </button>
          <button type="button" className="text-button" onClick={svg}>
            SVG
          </button>
        </div>
        <p className="hint">
          Each slide has the title, the step's caption, the map with its legend and scale, and the
          DirectMap and split counters with their change since the step before. The footer and the
          file's metadata carry the link to this step
          {zoom && (zoom.start > 0 || zoom.end < info.totalPages * 4096) ? ' and zoomed range' : ''}
          : open it to get the live view back.
        </p>
        <div className="row">
          <button
            type="button"
            className="text-button"
            disabled={info.captions.length === 0}
            onClick={batch}
          >
            Every captioned step ({info.captions.length}) as numbered PNGs (zip)
          </button>
        </div>
        <div className="row">
          <label className="field">
            <span>From step</span>
            <input
              type="number"
              min={0}
              max={info.steps}
              value={from}
              onChange={(e) => setFrom(Number(e.currentTarget.value))}
            />
          </label>
          <label className="field">
            <span>to step</span>
            <input
              type="number"
              min={0}
              max={info.steps}
              value={to}
              onChange={(e) => setTo(Number(e.currentTarget.value))}
            />
          </label>
          <button
            type="button"
            className="text-button"
            disabled={!canRecordVideo()}
            onClick={video}
          >
            Record WebM
          </button>
          {!canRecordVideo() && <span className="hint">This browser cannot record a canvas.</span>}
        </div>
        <p className="busy-line" role="status">
          {busy}
        </p>
      </section>
      <section aria-label="Text">
        <h3>Text</h3>
        <div className="row">
          <CopyButton text={texts?.meminfo ?? ''} label="Copy /proc/meminfo" />
          <CopyButton text={texts?.vmstat ?? ''} label="Copy /proc/vmstat" />
          <CopyButton text={texts?.ptdump ?? ''} label="Copy ptdump" />
          <CopyButton text={texts?.report ?? ''} label="Copy mailing-list report" />
        </div>
        <pre className="report-preview" data-testid="report">
          {texts?.report ?? 'Asking the engine…'}
        </pre>
      </section>
    </Dialog>
  );
}
