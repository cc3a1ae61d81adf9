/**
 * The host memory map: a thin React shell around MapView (view.ts), which draws on a canvas and
 * handles zoom, pan, hover and keys without React re-rendering. Every prop change is passed on;
 * the view fetches what it needs from the engine worker it is handed (view-deps.ts).
 *
 * Layout: a bar above the stage (the scale, what the step changed, the follow toggle and the
 * go-to box), the stage (canvas and hover tip, nothing else over it), and a dock beside it with
 * the overview and the legend, so neither ever covers a tile.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { CauseInfo, MapLayer } from '../../src/worker/protocol';
import { testHooks } from '../test-hooks';
import { Legend } from './Legend';
import { MapView, type MapViewProps } from './view';
import { explorerDeps } from './view-deps';
import './map.css';

export interface MemoryMapProps {
  snapshotStep: number;
  layer: MapLayer;
  selectedPfn: number | null;
  onSelect(pfn: number | null): void;
  /** Physical address range [start, end) in bytes to show (from a share link). */
  zoom?: { start: number; end: number };
  /** The address range in view, reported when a zoom or pan gesture ends. */
  onZoomChange?(z: { start: number; end: number }): void;
  /** Guest shown by the 'guest' layer (GPA order). */
  guestIndex?: number;
  theme: 'light' | 'dark';
  animate: boolean;
  /** Playback is running (what a step changed is found more cheaply). */
  playing?: boolean;
  /** Whether the follow camera starts on (lecture mode and embeds: on). */
  followDefault?: boolean;
  /** The inspector is open beside the map: hover tips yield to it. */
  tipsOff?: boolean;
  /** A projector or slide frame: no go-to box, larger type (lecture mode, embeds). */
  compact?: boolean;
  /**
   * The run's causes (RunInfo.causes) and the ids with a share at this step: the direct map can
   * then be coloured by cause (`colourBy`), with a toggle beside the legend.
   */
  causes?: { causes: readonly CauseInfo[]; present: ReadonlySet<string> } | null;
  colourBy?: 'state' | 'cause';
  onColourBy?(c: 'state' | 'cause'): void;
}

export function MemoryMap(props: MemoryMapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const miniRef = useRef<HTMLCanvasElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const scaleRef = useRef<HTMLSpanElement>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const announceRef = useRef<HTMLParagraphElement>(null);
  const viewRef = useRef<MapView | null>(null);
  const followDefault = props.followDefault ?? false;
  const [follow, setFollow] = useState(followDefault);
  const [gotoError, setGotoError] = useState('');
  useEffect(() => setFollow(followDefault), [followDefault]);
  const { followDefault: _f, compact: _c, causes, colourBy, onColourBy: _o, ...rest } = props;
  const byCause = causes && colourBy === 'cause' && props.layer === 'direct-map' ? causes : null;
  const viewProps: MapViewProps = { ...rest, follow, byCause: byCause?.causes ?? null };
  const propsRef = useRef<MapViewProps>(viewProps);
  propsRef.current = viewProps;

  useEffect(() => {
    const canvas = canvasRef.current;
    const minimap = miniRef.current;
    const tooltip = tipRef.current;
    if (!canvas || !minimap || !tooltip) return;
    const view = new MapView(
      {
        canvas,
        minimap,
        tooltip,
        ...(scaleRef.current ? { scale: scaleRef.current } : {}),
        ...(statusRef.current ? { status: statusRef.current } : {}),
        ...(announceRef.current ? { announce: announceRef.current } : {}),
      },
      propsRef.current,
      explorerDeps(),
    );
    viewRef.current = view;
    testHooks().map = view.debugHandle();
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, []);

  useEffect(() => {
    viewRef.current?.setProps(propsRef.current);
  });

  const onGoto = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const input = e.currentTarget.elements.namedItem('goto') as HTMLInputElement | null;
    setGotoError(viewRef.current?.goTo(input?.value ?? '') ?? '');
  };

  return (
    <div
      className={`fmap fmap-${props.theme}${props.compact ? ' fmap-compact' : ''}${props.tipsOff ? ' fmap-inspecting' : ''}`}
    >
      <div className="fmap-bar">
        <span ref={scaleRef} className="fmap-scale" />
        <span ref={statusRef} className="fmap-status" />
        <button
          type="button"
          className="fmap-follow"
          aria-pressed={follow}
          title="Glide to where each step acts, close enough to see its 4K pages, then back"
          onClick={() => setFollow(!follow)}
        >
          Follow
        </button>
        {!props.compact && (
          <form className="fmap-goto" onSubmit={onGoto} aria-label="Go to">
            <input
              name="goto"
              type="text"
              aria-label="Go to address or PFN"
              placeholder="Go to 0x200000 / pfn 0x21f"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={gotoError !== ''}
              aria-describedby="fmap-goto-error"
              onChange={() => gotoError && setGotoError('')}
            />
            <span id="fmap-goto-error" className="fmap-goto-error" role="status">
              {gotoError}
            </span>
          </form>
        )}
      </div>
      <div className="fmap-body">
        <div className="fmap-stage">
          <canvas
            ref={canvasRef}
            className="fmap-canvas"
            role="img"
            aria-label="Host memory map"
            aria-describedby="fmap-keys"
            tabIndex={0}
          />
          <div ref={tipRef} className="fmap-tip" role="tooltip" hidden />
        </div>
        <div className="fmap-dock">
          <div className="fmap-mini-wrap" aria-hidden="true">
            <canvas ref={miniRef} className="fmap-mini" title="Overview: click to jump" />
          </div>
          <Legend
            layer={props.layer}
            theme={props.theme}
            byCause={byCause}
            toggle={
              causes && props.layer === 'direct-map' && props.onColourBy ? (
                <ColourToggle value={colourBy ?? 'state'} onChange={props.onColourBy} />
              ) : null
            }
          />
        </div>
      </div>
      <p id="fmap-keys" className="fmap-sr">
        Arrow keys pan, plus and minus zoom, 0 fits the whole host, Enter selects the frame under
        the dashed cursor, Escape clears the selection.
      </p>
      <p ref={announceRef} className="fmap-sr" aria-live="polite" />
    </div>
  );
}

/** Colour the direct map by frame state (the default) or by the cause of each split. */
function ColourToggle(props: { value: 'state' | 'cause'; onChange(v: 'state' | 'cause'): void }) {
  return (
    <div className="fmap-colour segments" role="radiogroup" aria-label="Colour the map by">
      {(['state', 'cause'] as const).map((v) => (
        <label key={v} className={props.value === v ? 'checked' : ''}>
          <input
            type="radio"
            name="fmap-colour"
            value={v}
            checked={props.value === v}
            onChange={() => props.onChange(v)}
          />
          {v === 'state' ? 'state' : 'cause'}
        </label>
      ))}
    </div>
  );
}
