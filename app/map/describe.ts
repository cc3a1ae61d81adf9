/**
 * What is under a point of the map, in words (the hover tip's three lines): the frame's address,
 * its state and owner, and how the direct map and the VMM map it. Pure: everything comes in the
 * arguments, so the tip, a text alternative or a test can ask.
 */
import { CELL_NAMES, LEVEL_4K, type MapSnapshot, RF_MIXED } from '../../src/worker/protocol';
import { CELLS_PER_REGION, type Layout, pfnAt } from './geometry';

export interface DescribeScene {
  layout: Layout;
  snap: MapSnapshot;
  /** 'host', or a guest's GPA space (addresses are GPAs; levels are the VMM's). */
  space: string;
  /** Cell codes of regions fetched so far: without them a mixed region is "mostly" its code. */
  cells: ReadonlyMap<number, Uint8Array>;
  /** The run's guests in launch order (a cell's owner is its hue: index mod 16). */
  guests: readonly { readonly name: string }[];
}

/** Screen = x + k × world (a d3-zoom transform). */
export interface Transform {
  k: number;
  x: number;
  y: number;
}

const LEVEL_NAME = ['not mapped', '1G', '2M', '4K'];
/** Cell states a guest owns (CELL_NAMES 4–7: shared and private; 9: sequestered shared). */
const ownedByGuest = (state: number) => (state >= 4 && state <= 7) || state === 9;

/** The frame (PFN, or GPA frame in a guest view) under a screen point, or -1. */
export function frameAt(l: Layout, t: Transform, px: number, py: number): number {
  return pfnAt(l, (px - t.x) / t.k, (py - t.y) / t.k);
}

/** The tip's text for frame `pfn`. */
export function describeFrame(s: DescribeScene, pfn: number): string {
  const { snap } = s;
  const r = Math.floor(pfn / CELLS_PER_REGION);
  const cells = s.cells.get(r);
  const exact = cells !== undefined || !(snap.regionFlags[r]! & RF_MIXED);
  const code = cells ? cells[pfn - r * CELLS_PER_REGION]! : snap.regionCode[r]!;
  const state = CELL_NAMES[code & 15] ?? '?';
  const owner = ownedByGuest(code & 15) ? guestName(s.guests, code >> 4) : '';
  const guestView = s.space !== 'host';
  const user = LEVEL_NAME[snap.regionUserLevel[r]!];
  const addr = `${guestView ? 'GPA' : 'PFN'} 0x${pfn.toString(16)} · ${guestView ? '' : 'phys '}0x${(pfn * 4096).toString(16)}`;
  const what = `${exact ? '' : 'mostly '}${state}${owner ? ` · ${owner}` : ''}`;
  const level = guestView
    ? `VMM mapping ${user}`
    : `direct map ${LEVEL_NAME[snap.regionLevel[r]!]}${snap.regionLevel[r] === LEVEL_4K ? ' (split)' : ''} · VMM ${user === 'not mapped' ? '—' : user}`;
  return `${addr}\n${what}\n${level}`;
}

/** The tip's text for the frame under a screen point, or null where there is none. */
export function describeAt(s: DescribeScene, t: Transform, px: number, py: number): string | null {
  const pfn = frameAt(s.layout, t, px, py);
  return pfn < 0 ? null : describeFrame(s, pfn);
}

/** The guest a cell's hue names; 16 hues, so past 16 guests several share one. */
export function guestName(guests: readonly { readonly name: string }[], hue: number): string {
  const names = guests.filter((_, i) => i % 16 === hue).map((g) => g.name);
  if (names.length === 0) return '';
  return names.length === 1
    ? names[0]!
    : `${names[0]} (or ${names.length - 1} more sharing its colour)`;
}
