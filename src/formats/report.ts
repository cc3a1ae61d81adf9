/**
 * The plain-text report for mailing-list replies: a title, the host's direct map drawn in 80
 * columns, /proc/meminfo and /proc/vmstat exactly as the kernel prints them, the outcomes so far
 * (dmesg-like), the share link and a signature with the tool version and scenario digest.
 *
 * Every line is at most 80 columns (counted in code points) so it survives quoting in a reply;
 * only ASCII is used for the map and its legend. A link longer than a line is wrapped inside
 * angle brackets, the convention of RFC 3986 Appendix C: readers drop the whitespace.
 */
import { PMD_LEAF, PMD_TABLE, PUD_LEAF, PUD_TABLE } from '../machine/direct-map';
import type { Machine } from '../machine/machine';
import { GiB, MiB, PAGE_SIZE, PAGES_PER_2M, PTRS_PER_TABLE } from '../machine/units';
import { formatMeminfo, formatVmstat } from './meminfo';
import { stamp } from './outcomes';

export const REPORT_COLUMNS = 80;
/** At most this many map lines, whatever the host size (16 TiB at 16 GiB per character = 15). */
export const MAP_MAX_LINES = 16;
/** Columns before the map cells: the start address of the line, right-aligned, and a space. */
const LABEL_COLUMNS = 8;
/** Outcomes listed in full; earlier ones are counted. */
export const REPORT_OUTCOMES = 20;

/** Region classes, in the order "most fractured wins" when a character covers several. */
export const MAP_CLASS_HOLE = 0;
export const MAP_CLASS_1G = 1;
export const MAP_CLASS_2M = 2;
export const MAP_CLASS_4K = 3;
export const MAP_CLASS_LARGE_PRIVATE = 4;
export const MAP_CLASS_4K_PRIVATE = 5;
/** One ASCII character per class (index = class). */
export const MAP_CHARS = ['.', '#', '=', ':', '@', 'x'] as const;

/** What the map needs of a machine: the direct map's tables and the RMP-assigned page counts. */
export interface MapSource {
  dm: Pick<Machine['dm'], 'pud' | 'pmd' | 'totalPages'>;
  /** Assigned (guest-private) pages per 2 MiB region (Machine.frames.counts). */
  frames: { counts: ArrayLike<number> };
}

export interface MapCounts {
  /** 1G mappings without guest-private pages. */
  intact1g: number;
  /** 2M mappings without guest-private pages. */
  intact2m: number;
  /** 1G or 2M mappings that cover at least one guest-private page. */
  largePrivate: number;
  /** 2 MiB regions mapped with 4K pages (split, or 4K since boot), without private pages. */
  split: number;
  /** 2 MiB regions mapped with 4K pages that hold guest-private pages. */
  splitPrivate: number;
}

/** The class of every 2 MiB region, and the legend counts. */
export function classifyRegions(src: MapSource): { classes: Uint8Array; counts: MapCounts } {
  const { pud, pmd } = src.dm;
  const priv = src.frames.counts;
  const regions = Math.ceil(src.dm.totalPages / PAGES_PER_2M);
  const classes = new Uint8Array(regions);
  const counts: MapCounts = {
    intact1g: 0,
    intact2m: 0,
    largePrivate: 0,
    split: 0,
    splitPrivate: 0,
  };
  for (let g = 0; g < pud.length; g++) {
    const a = g * PTRS_PER_TABLE;
    const b = Math.min(a + PTRS_PER_TABLE, regions);
    if (pud[g] === PUD_LEAF) {
      let anyPrivate = false;
      for (let r = a; r < b; r++) {
        const p = (priv[r] ?? 0) > 0;
        anyPrivate ||= p;
        classes[r] = p ? MAP_CLASS_LARGE_PRIVATE : MAP_CLASS_1G;
      }
      if (anyPrivate) counts.largePrivate++;
      else counts.intact1g++;
      continue;
    }
    if (pud[g] !== PUD_TABLE) continue;
    for (let r = a; r < b; r++) {
      const p = (priv[r] ?? 0) > 0;
      if (pmd[r] === PMD_LEAF) {
        classes[r] = p ? MAP_CLASS_LARGE_PRIVATE : MAP_CLASS_2M;
        if (p) counts.largePrivate++;
        else counts.intact2m++;
      } else if (pmd[r] === PMD_TABLE) {
        classes[r] = p ? MAP_CLASS_4K_PRIVATE : MAP_CLASS_4K;
        if (p) counts.splitPrivate++;
        else counts.split++;
      }
    }
  }
  return { classes, counts };
}

/** MiB per character: the smallest power of two (≥ 2 MiB) that fits the host in maxLines. */
export function mapScaleMiB(totalPages: number, cellsPerLine: number, maxLines = MAP_MAX_LINES) {
  const totalMiB = (totalPages * PAGE_SIZE) / MiB;
  let n = 2;
  while (Math.ceil(totalMiB / n) > cellsPerLine * maxLines) n *= 2;
  return n;
}

const group = (n: number) => n.toLocaleString('en-US');

/** "1152G" or "144M": in GiB when the unit (a line's span) is whole GiB, so labels agree. */
function sizeLabel(bytes: number, unitBytes = bytes): string {
  if (unitBytes % GiB === 0) return `${bytes / GiB}G`;
  return `${bytes / MiB}M`;
}

function scaleText(mib: number): string {
  return mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

/**
 * The direct map as text: a header naming the scale, at most 16 lines of cells each starting
 * with its physical address, and a legend with counts that add up to the direct map's.
 * `width` is the whole line (label included); 80 gives 72 cells per line.
 */
export function formatMapText(src: MapSource, width = REPORT_COLUMNS): string {
  const cellsPerLine = Math.max(8, width - LABEL_COLUMNS);
  const mib = mapScaleMiB(src.dm.totalPages, cellsPerLine);
  const regionsPerCell = mib / 2;
  const { classes, counts } = classifyRegions(src);
  const cells = Math.ceil(classes.length / regionsPerCell);
  const out: string[] = [
    `Direct map: one character = ${scaleText(mib)}, ${sizeLabel(cellsPerLine * mib * MiB)} per line`,
  ];
  let row = '';
  for (let c = 0; c < cells; c++) {
    let worst = MAP_CLASS_HOLE;
    const end = Math.min((c + 1) * regionsPerCell, classes.length);
    for (let r = c * regionsPerCell; r < end; r++) if (classes[r]! > worst) worst = classes[r]!;
    if (c % cellsPerLine === 0) {
      if (row) out.push(row);
      const label = sizeLabel(c * mib * MiB, cellsPerLine * mib * MiB);
      row = `${label.padStart(LABEL_COLUMNS - 1)} `;
    }
    row += MAP_CHARS[worst];
  }
  if (row) out.push(row);
  out.push(...legendLines(counts, regionsPerCell > 1));
  return out.join('\n') + '\n';
}

function legendLines(c: MapCounts, coarse: boolean): string[] {
  const line = (ch: string, what: string, n: string) => `  ${ch} ${what.padEnd(46)}${n}`;
  return [
    coarse ? 'Legend (a character shows the most fractured mapping in its range):' : 'Legend:',
    line('#', '1G mapping, intact', `${group(c.intact1g)} x 1G`),
    line('=', '2M mapping, intact', `${group(c.intact2m)} x 2M`),
    line(':', '4K mappings (split), no guest-private page', `${group(c.split)} x 2 MiB region`),
    line(
      'x',
      '4K mappings (split) with guest-private pages',
      `${group(c.splitPrivate)} x 2 MiB region`,
    ),
    line('@', '2M/1G mapping over guest-private pages', `${group(c.largePrivate)} mapping(s)`),
    line('.', 'not mapped (hole)', ''),
  ].map((l) => l.trimEnd());
}

export interface ReportInput {
  machine: Machine;
  title: string;
  step: number;
  steps: number;
  kernel: string;
  link: string;
  version: string;
  scenarioDigest: string;
  outcomes: readonly { step: number; message: string }[];
}

/** Columns of a line as a terminal counts them (code points; the report has no wide glyphs). */
export const columns = (line: string): number => Array.from(line).length;

function clip(line: string, width = REPORT_COLUMNS): string {
  const cps = Array.from(line);
  return cps.length <= width ? line : cps.slice(0, width - 3).join('') + '...';
}

/** Word-wrap to `width`, continuation lines indented; words longer than a line are cut. */
export function wrapText(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let cur = '';
  let first = true;
  const limit = () => (first ? width : width - indent.length);
  const flush = () => {
    lines.push(first ? cur : indent + cur);
    first = false;
    cur = '';
  };
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    let w = Array.from(word);
    if (cur && columns(cur) + 1 + w.length > limit()) flush();
    while (w.length > limit() - (cur ? columns(cur) + 1 : 0)) {
      const room = limit() - (cur ? columns(cur) + 1 : 0);
      cur = cur ? `${cur} ${w.slice(0, room).join('')}` : w.slice(0, room).join('');
      w = w.slice(room);
      flush();
    }
    if (w.length > 0) cur = cur ? `${cur} ${w.join('')}` : w.join('');
  }
  if (cur || lines.length === 0) flush();
  return lines;
}

/** A link on one line if it fits, else wrapped inside <...> (RFC 3986 Appendix C). */
export function linkLines(link: string, width = REPORT_COLUMNS): string[] {
  if (columns(link) <= width) return [link];
  const cps = Array.from(link);
  const out: string[] = [];
  const chunk = width - 2;
  for (let i = 0; i < cps.length; i += chunk) out.push(cps.slice(i, i + chunk).join(''));
  out[0] = `<${out[0]}`;
  out[out.length - 1] = `${out[out.length - 1]}>`;
  // The closing bracket may push the last line over: move its last character down.
  const last = out[out.length - 1]!;
  if (columns(last) > width) {
    const l = Array.from(last);
    out[out.length - 1] = l.slice(0, -2).join('');
    out.push(l.slice(-2).join(''));
  }
  return out;
}

function outcomeLines(outcomes: ReportInput['outcomes'], step: number): string[] {
  const so = outcomes.filter((o) => o.step <= step);
  if (so.length === 0) return ['(no outcomes yet)'];
  const shown = so.slice(-REPORT_OUTCOMES);
  const lines: string[] = [];
  const earlier = so.length - shown.length;
  if (earlier > 0) lines.push(`(${group(earlier)} earlier outcome(s) not shown)`);
  for (const o of shown) {
    const prefix = `${stamp(o.step)} `;
    const wrapped = wrapText(o.message, REPORT_COLUMNS - prefix.length, '');
    const indent = ' '.repeat(prefix.length);
    for (const [i, l] of wrapped.entries()) lines.push((i === 0 ? prefix : indent) + l);
  }
  return lines;
}

/** The whole report; every line is at most 80 columns. */
export function formatReport(input: ReportInput): string {
  const m = input.machine;
  const dm = m.dm;
  const meminfo = {
    DirectMap4k: dm.count4k * 4,
    DirectMap2M: dm.count2m * 2048,
    DirectMap1G: dm.count1g * 1048576,
  };
  const vmstat = {
    direct_map_level2_splits: dm.level2Splits,
    direct_map_level3_splits: dm.level3Splits,
  };
  const sections: string[][] = [
    [
      clip(`Fracture: ${input.title}`),
      clip(`Step ${group(input.step)} of ${group(input.steps)}, kernel design ${input.kernel}`),
    ],
    formatMapText(m).trimEnd().split('\n'),
    ['/proc/meminfo:', ...formatMeminfo(meminfo, dm.gbpages).trimEnd().split('\n')],
    ['/proc/vmstat:', ...formatVmstat(vmstat).trimEnd().split('\n')],
    [`Outcomes up to step ${group(input.step)}:`, ...outcomeLines(input.outcomes, input.step)],
    ['Open this step in Fracture:', ...linkLines(input.link)],
    ['-- ', clip(`Fracture ${input.version}, scenario digest ${input.scenarioDigest}`)],
  ];
  return sections.map((s) => s.join('\n')).join('\n\n') + '\n';
}
