import type { Backing } from '../../src/worker/protocol';

/** Number formatting for panels: binary units as kernel people write them, tabular-friendly. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = v >= 100 || Number.isInteger(v) ? 0 : v >= 10 ? 1 : 2;
  return `${bytes < 0 ? '−' : ''}${v.toFixed(digits)} ${UNITS[u]}`;
}

/** One formatter: toLocaleString() builds a new one per call, which shows up while playing. */
const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** "+3", "−2048 kB" style delta; '' when unchanged. */
export function formatDelta(delta: number, fmt: (n: number) => string = formatCount): string {
  if (delta === 0 || !Number.isFinite(delta)) return '';
  return `${delta > 0 ? '+' : '−'}${fmt(Math.abs(delta))}`;
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** How the UI names each guest backing (header, guest list, compare). */
export const BACKING_LABELS: Record<Backing, string> = {
  '4k': '4K',
  thp: 'THP',
  'hugetlbfs-2m': 'hugetlbfs 2M',
  'hugetlbfs-1g': 'hugetlbfs 1G',
};
