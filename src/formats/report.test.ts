import { describe, expect, it } from 'vitest';
import { applyEvent } from '../machine/apply';
import { bootDirectMap } from '../machine/boot-layout';
import { DirectMap } from '../machine/direct-map';
import { Machine } from '../machine/machine';
import { GiB, MiB, PAGES_PER_2M, TiB } from '../machine/units';
import { loadPreset } from '../scenario';
import { compilePacked } from '../scenario/compile';
import { outcomeMessage } from './outcomes';
import {
  classifyRegions,
  columns,
  formatMapText,
  formatReport,
  linkLines,
  MAP_MAX_LINES,
  type MapSource,
  mapScaleMiB,
  wrapText,
} from './report';

/** A direct map of a host with RAM [0, bytes) and an optional hole, without the full Machine. */
function mapSource(bytes: number, opts: { gbpages?: boolean; hole?: [number, number] } = {}) {
  const gbpages = opts.gbpages ?? true;
  const ranges = opts.hole
    ? [
        { start: 0, end: opts.hole[0] },
        { start: opts.hole[1], end: bytes },
      ]
    : [{ start: 0, end: bytes }];
  const totalPages = bytes / 4096;
  const dm = new DirectMap(totalPages, bootDirectMap(ranges, gbpages), gbpages);
  const counts = new Uint16Array(totalPages / PAGES_PER_2M);
  return { dm, frames: { counts } } satisfies MapSource;
}

function legendCount(text: string, ch: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`  ${ch} `));
  const m = /([\d,]+) (?:x|mapping)/.exec(line ?? '');
  return Number((m?.[1] ?? 'NaN').replaceAll(',', ''));
}

function mapRows(text: string): string[] {
  return text.split('\n').filter((l) => /^ *\d+[MG] /.test(l));
}

describe('formatMapText: the direct map in 80 columns', () => {
  for (const bytes of [1 * GiB, 3 * GiB, 64 * GiB, 1 * TiB, 3 * TiB + 6 * MiB, 16 * TiB]) {
    it(`fits a ${bytes / GiB} GiB host in at most 16 lines of 80 columns`, () => {
      const text = formatMapText(mapSource(bytes));
      for (const l of text.split('\n')) expect(columns(l)).toBeLessThanOrEqual(80);
      const rows = mapRows(text);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(MAP_MAX_LINES);
      for (const r of rows) expect(r.length).toBeLessThanOrEqual(80);
    });
  }

  it('uses the finest power-of-two scale that fits: 2 MiB for 1 GiB, 16 GiB for 16 TiB', () => {
    expect(mapScaleMiB((1 * GiB) / 4096, 72)).toBe(2);
    expect(mapScaleMiB((16 * TiB) / 4096, 72)).toBe(16 * 1024);
    expect(formatMapText(mapSource(16 * TiB))).toContain('one character = 16 GiB');
  });

  it('has legend counts that match the direct map counters, after splits', () => {
    const src = mapSource(64 * GiB, { hole: [3 * GiB, 4 * GiB] });
    src.dm.split4k((5 * GiB) / 4096, 1, null);
    src.dm.split4k((40 * GiB) / 4096 + 7, 600, null);
    src.frames.counts[(40 * GiB) / (2 * MiB)] = 3;
    const text = formatMapText(src);
    const { counts } = classifyRegions(src);
    expect(legendCount(text, '#')).toBe(src.dm.count1g);
    expect(legendCount(text, '=')).toBe(src.dm.count2m);
    let tables = 0;
    for (let r = 0; r < src.dm.pmd.length; r++)
      if (src.dm.levelOf(r * PAGES_PER_2M) === '4K') tables++;
    expect(legendCount(text, ':') + legendCount(text, 'x')).toBe(tables);
    expect(legendCount(text, 'x')).toBe(1);
    expect(counts.split).toBe(tables - 1);
    expect(legendCount(text, '@')).toBe(0);
  });

  it('draws one character per 2 MiB region on a 1 GiB host: first region 4K, rest 2M', () => {
    const rows = mapRows(formatMapText(mapSource(1 * GiB)));
    const cells = rows.map((r) => r.slice(8)).join('');
    expect(cells).toHaveLength(512);
    expect(cells[0]).toBe(':');
    expect(cells.slice(1)).toBe('='.repeat(511));
  });

  it('marks a large mapping over a private page with @ and a hole with .', () => {
    const src = mapSource(8 * GiB, { hole: [2 * GiB, 4 * GiB] });
    src.frames.counts[(6 * GiB) / (2 * MiB)] = 1;
    const text = formatMapText(src);
    const cells = mapRows(text)
      .map((r) => r.slice(8))
      .join('');
    expect(cells).toContain('@');
    expect(cells).toContain('.');
    expect(legendCount(text, '@')).toBe(1);
    expect(legendCount(text, '#')).toBe(src.dm.count1g - 1);
  });
});

describe('text helpers', () => {
  it('wraps words to the width with an indent and cuts words longer than a line', () => {
    const lines = wrapText(`[     1] ${'word '.repeat(40)}${'y'.repeat(200)}`, 80, ' '.repeat(9));
    for (const l of lines) expect(columns(l)).toBeLessThanOrEqual(80);
    expect(lines.slice(1).every((l) => l.startsWith('         '))).toBe(true);
  });

  it('keeps a short link on one line and wraps a long one inside angle brackets', () => {
    expect(linkLines('https://x/#preset=a')).toEqual(['https://x/#preset=a']);
    for (const n of [79, 80, 81, 156, 157, 158, 2500]) {
      const link = `https://example.org/#s=${'a'.repeat(n)}`;
      const lines = linkLines(link);
      for (const l of lines) expect(columns(l)).toBeLessThanOrEqual(80);
      const joined = lines.join('');
      expect(joined === link || joined === `<${link}>`).toBe(true);
    }
  });
});

describe('formatReport', () => {
  const preset = loadPreset('thread-2021');
  if (!preset.ok) throw new Error('thread-2021 must load');
  const { spec, events } = compilePacked(preset.scenario);
  const m = new Machine(spec);
  for (let i = 0; i < events.length; i++) applyEvent(m, events.at(i));
  const outcomes: { step: number; message: string }[] = [];
  for (let i = 0; i < m.log.length; i++) {
    const o = m.log.get(i);
    outcomes.push({ step: o.step, message: outcomeMessage(m, o) });
  }
  const report = formatReport({
    machine: m,
    title: preset.scenario.title ?? 'thread-2021',
    step: m.step,
    steps: events.length,
    kernel: spec.kernel,
    link: `https://fracture.example/#preset=thread-2021&step=${m.step}&s=${'Q'.repeat(300)}`,
    version: '0.1.0',
    scenarioDigest: 'abcdef0123456789',
    outcomes,
  });
  const lines = report.split('\n');

  it('is at most 80 columns on every line', () => {
    for (const l of lines) expect(columns(l), l).toBeLessThanOrEqual(80);
  });

  it('prints the meminfo and vmstat lines exactly as the kernel does', () => {
    expect(report).toContain(`DirectMap4k:    ${String(m.dm.count4k * 4).padStart(8)} kB\n`);
    expect(report).toContain(`DirectMap2M:    ${String(m.dm.count2m * 2048).padStart(8)} kB\n`);
    expect(report).toContain(`direct_map_level2_splits ${m.dm.level2Splits}\n`);
    expect(report).toContain(`direct_map_level3_splits ${m.dm.level3Splits}\n`);
  });

  it('lists the last 20 outcomes and counts the earlier ones', () => {
    const shown = lines.filter((l) => /^\[ *\d+\] /.test(l));
    expect(shown).toHaveLength(Math.min(20, outcomes.length));
    if (outcomes.length > 20) expect(report).toContain(`${outcomes.length - 20} earlier outcome`);
  });

  it('ends with the link, a signature separator, the version and the digest', () => {
    expect(report).toContain('<https://fracture.example/#preset=thread-2021');
    expect(report).toMatch(/\n-- \nFracture 0\.1\.0, scenario digest abcdef0123456789\n$/);
    expect(report.startsWith('Fracture: ')).toBe(true);
  });
});
