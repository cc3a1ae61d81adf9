/**
 * Every rule the engine applies is registered in rules.ts with its source: the ids it emits
 * (RuleId makes an unregistered one a compile error; this also catches strings cast past it), the
 * [rule] tags its comments cite, and whatever a busy run of every design actually emits.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply';
import { BACKINGS, type EngineEvent, KERNEL_DESIGNS, type MachineSpec } from './events';
import { Machine } from './machine';
import { Rng } from './rng';
import { RULE_INDEX, RULES } from './rules';
import { GiB, MiB } from './units';

const RULE_ID = /^[a-z]+(\.[a-z0-9_-]+)+$/;

function engineSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return engineSources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'rules.ts' ? [path] : [];
  });
}

const SOURCES = engineSources(import.meta.dirname).map((f) => readFileSync(f, 'utf8'));

describe('the rule table (rules.ts)', () => {
  it.each(RULES.map((r) => [r.id, r] as const))(
    '%s names a title, a source and an explanation',
    (_, r) => {
      expect(r.title.length).toBeGreaterThan(0);
      expect(r.source.length).toBeGreaterThan(0);
      expect(r.explain.length).toBeGreaterThan(0);
      expect(r.url === '' || r.url.startsWith('https://')).toBe(true);
    },
  );

  it('every quoted rule id in src/machine is registered', () => {
    const ids = SOURCES.flatMap((s) => [...s.matchAll(/'([^'\n]+)'/g)].map((m) => m[1]!));
    expect(new Set(ids.filter((id) => RULE_ID.test(id))).size).toBeGreaterThanOrEqual(20);
    const unregistered = ids.filter((id) => RULE_ID.test(id) && !RULE_INDEX.has(id));
    expect(unregistered).toEqual([]);
  });

  it('every [rule] tag cited in src/machine comments is registered (dm.no-collapse, buddy.*)', () => {
    const comments = SOURCES.flatMap((s) => s.split('\n')).filter((l) =>
      /^\s*(\*|\/\/|\/\*\*)/.test(l),
    );
    const tags = comments.flatMap((l) => [...l.matchAll(/\[([a-z]+(?:\.[a-z0-9_-]+)+)\]/g)]);
    const ids = new Set(tags.map((m) => m[1]!));
    expect(ids).toContain('dm.no-collapse');
    expect(ids).toContain('buddy.pcp');
    expect([...ids].filter((id) => !RULE_INDEX.has(id))).toEqual([]);
  });
});

describe('every rule a busy run emits is registered', () => {
  const spec = (kernel: MachineSpec['kernel'], i: number): MachineSpec => ({
    host: {
      ranges: [
        { start: 0, end: 0x9f000 },
        { start: MiB, end: 3 * GiB },
      ],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 64 * MiB,
      seed: 1,
    },
    kernel,
    guests: [
      { name: 'a', memoryBytes: 1 * GiB, vcpus: 1, backing: BACKINGS[i % 4]!, snp: true },
      { name: 'b', memoryBytes: 1 * GiB, vcpus: 1, backing: BACKINGS[(i + 1) % 4]!, snp: true },
      { name: 'c', memoryBytes: 64 * MiB, vcpus: 1, backing: '4k', snp: false },
    ],
  });
  const OPS = ['accept', 'share', 'unshare', 'hv-write', 'host-write'] as const;

  it.each(KERNEL_DESIGNS.flatMap((k) => [0, 1, 2, 3].map((i) => [k, i] as const)))(
    '%s (backings from #%i)',
    (kernel, i) => {
      const m = new Machine(spec(kernel, i));
      const rng = new Rng(7 + i);
      const ev = (op: EngineEvent['op'], guest: number): EngineEvent => ({
        op,
        guest,
        gpa: rng.int(256) * 2 * MiB + (rng.int(2) ? 0x1f000 : 0),
        pfn: rng.int(m.totalPages),
        sizeBytes: rng.int(3) === 0 ? 2 * MiB : 4096,
        via: rng.int(2) ? 'user' : 'direct-map',
      });
      for (const g of [0, 1, 2]) applyEvent(m, ev('launch', g));
      for (let s = 0; s < 400; s++) applyEvent(m, ev(OPS[rng.int(OPS.length)]!, s % 3));
      for (const g of [0, 1, 2]) applyEvent(m, ev('exit', g));
      const emitted = new Set(Array.from({ length: m.log.length }, (_, j) => m.log.get(j).rule));
      expect(emitted.size).toBeGreaterThan(2);
      expect([...emitted].filter((id) => !RULE_INDEX.has(id))).toEqual([]);
    },
  );
});
