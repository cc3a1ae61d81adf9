/** What colours and textures mean on the map, for the layer shown. */
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
  [CELL_SHARED, 'guest shared'],
  [CELL_PRIVATE, 'guest private'],
  [CELL_FIRMWARE, 'firmware, RMP table'],
];

const TEXTURE: Record<MapLayer, [string, string]> = {
  'direct-map': ['direct map split to 4K', 'thick outline: one 1G mapping'],
  vmm: ['VMM maps it with 4K pages', 'faded: not guest RAM'],
  rmp: ['assigned in 4K RMP entries', 'faded: not assigned'],
  guest: ['VMM maps it with 4K pages', 'GPA order'],
};

export function Legend(props: { layer: MapLayer; theme: Theme }) {
  const p = paletteFor(props.theme);
  const [striped, extra] = TEXTURE[props.layer];
  return (
    <ul className="fmap-legend" aria-label="Map legend">
      {STATES.map(([code, name]) => (
        <li key={name}>
          <span className="fmap-swatch" style={{ backgroundColor: p.css[code] }} />
          {name}
        </li>
      ))}
      <li>
        <span
          className="fmap-swatch fmap-striped"
          style={{ backgroundColor: p.css[CELL_FREE], color: p.css[CELL_KERNEL] }}
        />
        {striped}
      </li>
      <li className="fmap-note">{extra}</li>
    </ul>
  );
}
