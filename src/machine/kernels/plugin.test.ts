/**
 * The plug-in seam (docs/extending.md): a design is one file in kernels/ plus one registry line,
 * and the engine calls its hooks without asking which design is active.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../apply';
import { CAUSES } from '../causes';
import { KERNEL_DESIGNS, type MachineSpec } from '../events';
import { Machine } from '../machine';
import { GiB, MiB } from '../units';
import { DESIGNS } from '.';
import { DESIGN_CAPS } from './caps';

const SRC = join(import.meta.dirname, '..', '..');
const NAMES = KERNEL_DESIGNS.map((k) => k.replace(/[-.]/g, '\\$&')).join('|');

/** What testing the active design looks like: reading a design flag or comparing its name. */
const FORBIDDEN: [string, RegExp][] = [
  ['reads a design flag', /\bdesign\.(snp|privateMemory|gmemFolio|inPlaceShared|sequester|id)\b/],
  ['names a design flag', /\b(privateMemory|gmemFolio|inPlaceShared)\b/],
  ['compares with a design name', new RegExp(`[!=]==?\\s*'(${NAMES})'|'(${NAMES})'\\s*[!=]==?`)],
  ['switches on a design name', new RegExp(`\\bcase\\s+'(${NAMES})'`)],
  ['looks a design name up in a list', new RegExp(`'(${NAMES})'[^;]*\\]\\.(includes|indexOf)\\(`)],
];

/**
 * Files that may know designs: the designs themselves, the naive reference model (an independent
 * oracle that must not share engine code) and tests.
 */
function allowed(path: string): boolean {
  return (
    path.startsWith('machine/kernels/') ||
    /^sim\/reference[^/]*\.ts$/.test(path) ||
    /\.test\.tsx?$/.test(path)
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the kernel design registry (kernels/index.ts)', () => {
  it('registers every design of KERNEL_DESIGNS, in that order, under its own id', () => {
    expect(Object.keys(DESIGNS)).toEqual(KERNEL_DESIGNS);
    for (const [key, d] of Object.entries(DESIGNS)) expect(d.id).toBe(key);
  });

  it("declares each design's capabilities as caps.ts lists them (validation reads the table)", () => {
    for (const k of KERNEL_DESIGNS) expect(DESIGNS[k].caps, k).toBe(DESIGN_CAPS[k]);
  });

  it('has one file per design in kernels/', () => {
    const files = readdirSync(import.meta.dirname);
    for (const k of KERNEL_DESIGNS) expect(files).toContain(`${k}.ts`);
  });

  it('registers every host cause once, each in its own file under causes/', () => {
    const ids = CAUSES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(10);
  });
});

describe('no test of the active design outside src/machine/kernels/', () => {
  it.each([
    ['if (m.design.sequester) return', 'reads a design flag'],
    ["const folio = m.design.gmemFolio === '1g';", 'reads a design flag'],
    ["if (spec.kernel === 'unmap-2023') split()", 'compares with a design name'],
    ["case 'gmem-1g-rfc':", 'switches on a design name'],
    ["['unmap-2023', 'upstream-2024'].includes(kernel)", 'looks a design name up in a list'],
  ])('the scan catches `%s` (%s)', (line, what) => {
    expect(FORBIDDEN.filter(([, re]) => re.test(line)).map(([w]) => w)).toContain(what);
  });

  it('no engine, worker, sim, scenario, format or CLI source tests which design is active', () => {
    const found: string[] = [];
    const files = sources(SRC);
    // The engine, worker, sim, scenario, formats and CLI: a scan of nothing would pass.
    expect(files.filter((f) => !allowed(relative(SRC, f))).length).toBeGreaterThan(50);
    for (const file of files) {
      const path = relative(SRC, file).split('\\').join('/');
      if (allowed(path)) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [what, re] of FORBIDDEN)
            if (re.test(line)) found.push(`src/${path}:${i + 1} ${what}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});

describe('every design runs the same lifecycle through its hooks', () => {
  const spec = (kernel: (typeof KERNEL_DESIGNS)[number]): MachineSpec => ({
    host: {
      ranges: [{ start: 0, end: 4 * GiB }],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 64 * MiB,
      seed: 1,
    },
    kernel,
    guests: [
      { name: 'snp', memoryBytes: 64 * MiB, vcpus: 1, backing: 'thp', snp: true },
      { name: 'plain', memoryBytes: 64 * MiB, vcpus: 1, backing: '4k', snp: false },
    ],
  });
  it.each(KERNEL_DESIGNS)('%s: launch, accept, share, write, unshare, exit leave no leak', (k) => {
    const m = new Machine(spec(k));
    const free0 = m.alloc.freePages;
    const tables0 = m.dm.splitTablePages;
    for (const guest of [0, 1])
      for (const [op, gpa, sizeBytes, via] of [
        ['launch', 0, 0, 'user'],
        ['accept', 0, 4 * MiB, 'user'],
        ['share', 0x1f000, 4096, 'user'],
        ['hv-write', 0x1f000, 4096, 'user'],
        ['hv-write', 0x20000, 4096, 'direct-map'],
        ['unshare', 0x1f000, 4096, 'user'],
        ['exit', 0, 0, 'user'],
      ] as const)
        applyEvent(m, { op, guest, gpa, pfn: 0, sizeBytes, via });
    expect(m.guests.map((g) => g.status)).toEqual(['exited', 'exited']);
    const tables = m.dm.splitTablePages - tables0;
    expect(m.alloc.freePages).toBe(free0 - tables - m.designState.heldPages);
    expect(m.checkInvariants()).toBeNull();
  });
});
