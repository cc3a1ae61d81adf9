/**
 * What colours mean on the map, for the layer shown: each state's colour as a whole 2M (or 1G)
 * mapping draws it and as a split tile draws it (Palette.shade: raster.ts paints exactly these),
 * so every swatch is a colour the map uses. Guest states show the first guest's hue.
 */

import type { ReactNode } from 'react';
import {
  type CauseInfo,
  CELL_FIRMWARE,
  CELL_FREE,
  CELL_KERNEL,
  CELL_PAGETABLE,
  CELL_PRIVATE,
  CELL_SHARED,
  type MapLayer,
} from '../../src/worker/protocol';
import { withCauses } from './cause-colours';
import { paletteFor, type Theme } from './palette';

const STATES: [number, string][] = [
  [CELL_FREE, 'free'],
  [CELL_KERNEL, 'host kernel'],
  [CELL_PAGETABLE, 'page table'],
  [CELL_SHARED, 'hypervisor-owned (not yet accepted)'],
  [CELL_PRIVATE, 'guest private'],
  [CELL_FIRMWARE, 'firmware, RMP table'],
];

/** The second swatch's meaning per layer, and a note on what else the layer draws. */
const SPLIT: Record<MapLayer, [string, string]> = {
  'direct-map': ['split to 4K', 'thick outline: one 1G mapping'],
  vmm: ['VMM maps it with 4K pages', 'faded: not guest RAM'],
  rmp: ['assigned in 4K RMP entries', 'faded: not assigned'],
  guest: ['VMM maps it with 4K pages', 'GPA order'],
};

export function Legend(props: {
  layer: MapLayer;
  theme: Theme;
  /** Coloured by cause: every cause (RunInfo.causes), and the ids with a share at this step. */
  byCause?: { causes: readonly CauseInfo[]; present: ReadonlySet<string> } | null;
  /** The state / cause toggle, first in the legend (a narrow map flows it with the items). */
  toggle?: ReactNode;
}) {
  if (props.byCause && props.layer === 'direct-map')
    return <CauseLegend theme={props.theme} {...props.byCause} toggle={props.toggle} />;
  const p = paletteFor(props.theme);
  const [split, note] = SPLIT[props.layer];
  return (
    <section className="fmap-legend" aria-label="Map legend">
      {props.toggle}
      <p className="fmap-legend-head">
        <span className="fmap-swatch-pair" aria-hidden="true">
          <span className="fmap-swatch" style={{ backgroundColor: p.css[CELL_PRIVATE] }} />
          <span className="fmap-swatch" style={{ backgroundColor: p.shadeCss[CELL_PRIVATE] }} />
        </span>
        whole · {split}
      </p>
      <ul>
        {STATES.map(([code, name]) => (
          <li key={name}>
            <span className="fmap-swatch-pair" aria-hidden="true">
              <span className="fmap-swatch" style={{ backgroundColor: p.css[code] }} />
              <span className="fmap-swatch" style={{ backgroundColor: p.shadeCss[code] }} />
            </span>
            {name}
          </li>
        ))}
        <li>
          <span className="fmap-swatch fmap-swatch-mark" aria-hidden="true" />
          changed at this step
        </li>
        <li className="fmap-note">{note}</li>
      </ul>
    </section>
  );
}

/**
 * The map by cause: each cause with a share at this step, in its colour (full: split to 4K;
 * light: a 2M region of a 1 GiB block it split), proposals said to be proposals.
 */
function CauseLegend(props: {
  theme: Theme;
  causes: readonly CauseInfo[];
  present: ReadonlySet<string>;
  toggle?: ReactNode;
}) {
  const p = withCauses(paletteFor(props.theme), props.causes).byCause!;
  const shown = props.causes
    .map((c, slot) => ({ c, slot }))
    .filter(({ c }) => props.present.has(c.id));
  return (
    <section className="fmap-legend fmap-legend-causes" aria-label="Map legend">
      {props.toggle}
      <p className="fmap-legend-head">split by · 4K · 1G→2M</p>
      <ul>
        {shown.map(({ c, slot }) => (
          <li key={c.id} className={c.status === 'proposal' ? 'fmap-proposal' : ''}>
            <span className="fmap-swatch-pair" aria-hidden="true">
              <span className="fmap-swatch" style={{ backgroundColor: p.solidCss[slot] }} />
              <span className="fmap-swatch" style={{ backgroundColor: p.lightCss[slot] }} />
            </span>
            {legendName(c)}
          </li>
        ))}
        <li>
          <span className="fmap-swatch-pair" aria-hidden="true">
            <span className="fmap-swatch" style={{ backgroundColor: faded(props.theme) }} />
          </span>
          faded: not split
        </li>
      </ul>
    </section>
  );
}

/** What an unsplit tile looks like by cause: the host kernel's colour, dimmed as raster.ts does. */
function faded(theme: Theme): string {
  const p = paletteFor(theme);
  return `color-mix(in srgb, ${p.css[CELL_KERNEL]} 28%, ${p.background})`;
}

/** A cause's name in the legend; a proposal always says so (issue 17). */
export function legendName(c: CauseInfo): string {
  if (c.status !== 'proposal' || /proposal/i.test(c.label)) return c.label;
  return `${c.label} (proposal)`;
}
