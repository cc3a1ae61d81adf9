/**
 * What colours mean on the map, for the layer shown: each state's colour as a whole 2M (or 1G)
 * mapping draws it and as a split tile draws it (Palette.shade: raster.ts paints exactly these),
 * so every swatch is a colour the map uses. Guest states show the first guest's hue.
 */
import {
  CELL_FIRMWARE,
  CELL_FREE,
  CELL_KERNEL,
  CELL_PAGETABLE,
  CELL_PRIVATE,
  CELL_SHARED,
  type MapLayer,
} from '../../src/worker/protocol';
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

export function Legend(props: { layer: MapLayer; theme: Theme }) {
  const p = paletteFor(props.theme);
  const [split, note] = SPLIT[props.layer];
  return (
    <section className="fmap-legend" aria-label="Map legend">
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
