import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BACKINGS, KERNEL_DESIGNS } from '../machine/events';
import { encodeBase64url } from './base64url';
import { loadPreset } from './presets';
import { parseScenario } from './schema';
import { PROFILE_NAMES, type Scenario } from './types';
import {
  decodeShareFragment,
  encodeShareFragment,
  inflateCapped,
  MAX_INFLATED_BYTES,
  type ShareView,
} from './url';
import { MODEL_VERSION as M } from './versions';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const payload = (json: unknown) =>
  `#v=1&s=${encodeBase64url(deflateSync(strToU8(JSON.stringify(json))))}`;

/** Valid raw scenarios, in the many spellings the schema accepts. */
const arbScenario: fc.Arbitrary<unknown> = fc
  .record({
    ramUnits: fc.integer({ min: 8, max: 8 * 1024 * 1024 }), // × 2 MiB: 16 MiB .. 16 TiB
    asRanges: fc.boolean(),
    gbpages: fc.option(fc.boolean(), { nil: undefined }),
    allocator: fc.option(fc.constantFrom('buddy', 'packed', 'random'), { nil: undefined }),
    kernel: fc.option(fc.constantFrom(...KERNEL_DESIGNS), { nil: undefined }),
    title: fc.option(fc.string({ maxLength: 30, unit: 'binary' }), { nil: undefined }),
    guestCount: fc.integer({ min: 0, max: 3 }),
    seed: fc.nat(),
  })
  .chain((h) => {
    const ram = h.ramUnits * 2 * MiB;
    const guest = (i: number) =>
      fc
        .record({
          units: fc.integer({ min: 1, max: Math.min(h.ramUnits, 4096) }),
          vcpus: fc.integer({ min: 1, max: 64 }),
          backing: fc.constantFrom(...BACKINGS),
          snp: fc.option(fc.boolean(), { nil: undefined }),
        })
        .map((g) => {
          const oneG = g.backing === 'hugetlbfs-1g' && ram >= GiB;
          const memory = oneG ? Math.min(g.units, Math.floor(ram / GiB)) * GiB : g.units * 2 * MiB;
          const backing = g.backing === 'hugetlbfs-1g' && !oneG ? 'thp' : g.backing;
          return {
            name: `g${i}`,
            memory,
            vcpus: g.vcpus,
            backing,
            ...(g.snp === undefined ? {} : { snp: g.snp }),
          };
        });
    return fc.tuple(
      fc.constant(h),
      fc.tuple(...Array.from({ length: h.guestCount }, (_, i) => guest(i))),
    );
  })
  .chain(([h, guests]) => {
    const ram = h.ramUnits * 2 * MiB;
    const event: fc.Arbitrary<Record<string, unknown>> =
      guests.length === 0
        ? fc.constant({ op: 'host-write', pfn: 0 })
        : fc
            .record({
              g: fc.nat(guests.length - 1),
              op: fc.constantFrom(
                'launch',
                'accept',
                'share',
                'unshare',
                'hv-write',
                'host-write',
                'exit',
              ),
              page: fc.nat(),
              big: fc.boolean(),
              byName: fc.boolean(),
              via: fc.constantFrom('user', 'direct-map'),
            })
            .map((e) => {
              const mem = guests[e.g]?.memory ?? 2 * MiB;
              if (e.op === 'host-write')
                return { op: e.op, pfn: `0x${(e.page % (ram / 4096)).toString(16)}` };
              const guest = e.byName ? `g${e.g}` : e.g;
              if (e.op === 'launch' || e.op === 'exit') return { op: e.op, guest };
              const size = e.big ? 2 * MiB : 4096;
              const gpa = (e.page % ((mem - size) / 4096 + 1)) * 4096;
              return {
                op: e.op,
                guest,
                gpa,
                size: e.big ? '2M' : 4096,
                ...(e.op === 'hv-write' ? { via: e.via } : {}),
              };
            });
    const workload = fc.option(
      fc.record({
        seed: fc.nat(),
        steps: fc.integer({ min: 0, max: 100_000 }),
        profiles: fc
          .subarray([...PROFILE_NAMES], { minLength: 1 })
          .chain((names) =>
            fc.tuple(
              ...names.map((profile) =>
                fc
                  .double({ min: 0.01, max: 1000, noNaN: true })
                  .map((weight) => ({ profile, weight })),
              ),
            ),
          ),
      }),
      { nil: undefined },
    );
    return fc
      .record({ events: fc.array(event, { maxLength: 8 }), workload })
      .chain(({ events, workload }) =>
        fc
          .array(
            fc.record({
              step: fc.nat((workload?.steps ?? 0) + events.length),
              text: fc.string({ maxLength: 40, unit: 'binary' }),
            }),
            { maxLength: 3 },
          )
          .map((captions) => ({
            version: 1,
            ...(h.title === undefined ? {} : { title: h.title }),
            host: {
              ...(h.asRanges
                ? { ranges: [['0x0', `0x${ram.toString(16)}`]] }
                : { ram: `${ram / MiB}M` }),
              ...(h.gbpages === undefined ? {} : { gbpages: h.gbpages }),
              ...(h.allocator === undefined ? {} : { allocator: h.allocator }),
            },
            ...(h.kernel === undefined ? {} : { kernel: h.kernel }),
            guests,
            ...(workload === undefined ? {} : { workload }),
            events,
            captions,
          })),
      );
  });

const arbView: fc.Arbitrary<ShareView> = fc.record(
  {
    step: fc.nat(10_000_000),
    zoom: fc
      .tuple(fc.nat(2 ** 32), fc.integer({ min: 1, max: 2 ** 30 }))
      .map(([s, n]) => ({ start: s * 4096, end: s * 4096 + n * 4096 })),
    layer: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/),
    sel: fc.nat(2 ** 32),
  },
  { requiredKeys: [] },
);

function parsed(raw: unknown): Scenario {
  const r = parseScenario(raw);
  if (!r.ok) throw new Error(`generator made an invalid scenario: ${JSON.stringify(r.errors)}`);
  return r.scenario;
}

describe('share URLs', () => {
  it('round-trip any scenario and view: scenario → URL → the identical scenario', () => {
    fc.assert(
      fc.property(arbScenario, arbView, (raw, view) => {
        const s = parsed(raw);
        const d = decodeShareFragment(encodeShareFragment(s, view));
        expect(d.errors).toEqual([]);
        expect(d.repairs).toEqual(parseScenario(s).warnings); // e.g. "no guests to run it on"
        expect(d.scenario).toEqual(s);
        expect(d.view).toEqual(view);
      }),
      { numRuns: 150 },
    );
  });

  it('keep the preset form short and readable, with overrides applied', () => {
    const fragment = encodeShareFragment(
      { preset: 'thread-2021' },
      { kernel: 'rfc-2021', backing: 'hugetlbfs-2m', step: 4 },
    );
    expect(fragment).toBe(`#preset=thread-2021&m=${M}&kernel=rfc-2021&backing=hugetlbfs-2m&step=4`);
    const d = decodeShareFragment(`https://example.org/fracture/${fragment}`);
    expect(d.errors).toEqual([]);
    expect(d.preset).toBe('thread-2021');
    expect(d.scenario?.kernel).toBe('rfc-2021');
    expect(d.scenario?.guests.every((g) => g.backing === 'hugetlbfs-2m')).toBe(true);
    const base = loadPreset('thread-2021');
    expect(base.ok && d.baseScenario).toEqual(base.ok && base.scenario);
  });

  it('keep a typical custom scenario under 2,000 characters', () => {
    const r = loadPreset('linux-boot-64g');
    if (!r.ok) throw new Error('preset');
    expect(encodeShareFragment(r.scenario, { step: 35 }).length).toBeLessThan(2000);
  });

  it('drop view parameters they cannot read, and say so', () => {
    const d = decodeShareFragment('#preset=thread-2021&step=abc&kernel=rfc&zoom=9-3&colour=red');
    expect(d.scenario).toBeDefined();
    expect(d.view).toEqual({});
    expect(d.repairs).toHaveLength(4);
    for (const part of [/step="abc"/, /kernel="rfc"/, /zoom="9-3"/, /"colour": unknown/]) {
      expect(d.repairs.some((r) => part.test(r))).toBe(true);
    }
  });

  it('refuse an override the scenario cannot take, keeping the scenario', () => {
    const d = decodeShareFragment('#preset=thread-2021&backing=hugetlbfs-1g');
    expect(d.scenario?.guests[0]?.backing).toBe('thp');
    expect(d.repairs[0]).toMatch(/hugetlbfs-1g needs a multiple of 1G/);
  });

  it('name the known presets when a preset is unknown', () => {
    const d = decodeShareFragment('#preset=thread-2022');
    expect(d.scenario).toBeUndefined();
    expect(d.errors[0]?.message).toMatch(/preset: found "thread-2022"; allowed: .*thread-2021,/);
  });

  it('give a clear "too large" for a link that claims a 1 PiB host, and repair it visibly', () => {
    const d = decodeShareFragment(payload({ host: { ram: '1P' }, guests: [] }));
    expect(d.errors[0]?.message).toBe('host.ram: "1P" is too large: at most 16T');
    expect(d.scenario?.host.ram).toBe('4G');
    expect(d.repairs).toContain('host.ram: "1P" is too large: at most 16T → host RAM set to 4G');
  });

  it('stop inflating a zip bomb at 1 MiB', () => {
    const bomb = deflateSync(new Uint8Array(2 * MiB), { level: 9 });
    expect(inflateCapped(bomb, MAX_INFLATED_BYTES)).toBe('too-large');
    const t = performance.now();
    const d = decodeShareFragment(`#v=1&s=${encodeBase64url(bomb)}`);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(d.scenario).toBeUndefined();
    expect(d.errors[0]?.message).toMatch(/too large: at most 1048576 bytes/);
  });

  it('refuse a fragment longer than a million characters without reading it', () => {
    const d = decodeShareFragment(`#v=1&s=${'A'.repeat(1_000_001)}`);
    expect(d.errors[0]?.message).toMatch(/^fragment: .*too large/);
  });

  it('refuse versions from the future', () => {
    const d = decodeShareFragment(payload({ version: 3, host: { ram: '4G' } }));
    expect(d.errors[0]?.message).toMatch(/newer Fracture/);
  });

  it('say first that a link format version from the future is not supported', () => {
    const d = decodeShareFragment('#v=3&s=abc');
    expect(d.scenario).toBeUndefined();
    expect(d.errors[0]?.path).toBe('v');
    expect(d.errors[0]?.message).toMatch(
      /^v: found "3"; .*link format version 3 is not supported by this build/,
    );
    expect(d.newerFormat).toBe(3);
    expect(d.errors).toHaveLength(1);
  });

  // Issue 16: a v=99 link ran under version-1 rules; it is refused (the app offers Try anyway).
  it('refuse a readable payload of a newer link format instead of reading it as version 1', () => {
    const json = { host: { ram: '4G' }, guests: [] };
    const d = decodeShareFragment(
      `#v=99&s=${encodeBase64url(deflateSync(strToU8(JSON.stringify(json))))}`,
    );
    expect(d.errors[0]?.message).toMatch(/link format version 99 is not supported/);
    expect(d.scenario).toBeUndefined();
    expect(d.newerFormat).toBe(99);
  });
});

describe('the decoder under fuzzing never throws and always answers', () => {
  const good = (() => {
    const r = loadPreset('linux-boot-64g');
    if (!r.ok) throw new Error('preset');
    return encodeShareFragment(r.scenario, { step: 3 });
  })();

  const answers = (fragment: string) => {
    const d = decodeShareFragment(fragment);
    expect(Array.isArray(d.errors) && Array.isArray(d.repairs)).toBe(true);
    if (/(^|[#&])s=/.test(fragment))
      expect(d.scenario !== undefined || d.errors.length > 0).toBe(true);
    return d;
  };

  it('for every truncation of a valid link', () => {
    for (let n = 0; n <= good.length; n += 3) answers(good.slice(0, n));
  });

  it('for random single-character mutations', () => {
    fc.assert(
      fc.property(
        fc.nat(good.length - 1),
        fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
        (i, c) => {
          answers(good.slice(0, i) + c + good.slice(i + 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('for random text and random base64url payloads', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (text) => {
        answers(text);
        answers(`#v=1&s=${text}`);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{0,300}$/), (b64) => {
        answers(`#v=1&s=${b64}`);
      }),
      { numRuns: 300 },
    );
  });

  it('for well-compressed JSON that is not a scenario', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (json) => {
        answers(payload(json));
      }),
      { numRuns: 200 },
    );
  });
});
