import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFrec, ptdumpFrameText } from './frec';
import { parsePtdump } from './ptdump';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/frec/${name}`, import.meta.url), 'utf8');

function ok(text: string) {
  const r = parseFrec(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
}

describe('fracture-record 1: samples keyed as the kernel names them', () => {
  it('reads this VM recorded by fracture-record.sh: every DirectMap and direct_map_* key in kB/counts', () => {
    const { value: tl, warnings } = ok(fixture('x86-this-host.frec'));
    expect(warnings).toEqual([]);
    expect(tl.samples).toHaveLength(4);
    expect(tl.keys).toEqual([
      'DirectMap4k',
      'DirectMap2M',
      'DirectMap1G',
      'direct_map_level2_splits',
      'direct_map_level3_splits',
      'direct_map_level2_collapses',
      'direct_map_level3_collapses',
    ]);
    expect(tl.samples[0]).toEqual({
      t: 0.01,
      wall: 1796287451,
      values: {
        DirectMap4k: 30720,
        DirectMap2M: 2066432,
        DirectMap1G: 25165824,
        direct_map_level2_splits: 5,
        direct_map_level3_splits: 0,
        direct_map_level2_collapses: 0,
        direct_map_level3_collapses: 0,
      },
    });
    expect(tl.header).toMatchObject({
      kernel_release: '6.18.44-fc-v1045',
      machine: 'x86_64',
      addresses: 'offset',
      'config.CONFIG_PTDUMP_DEBUGFS': 'n',
      'e820.4': '0x100000000-0x63fffffff System RAM',
    });
    expect(tl.host).toBeNull();
    expect(tl.end).toEqual({ t: 3.37, wall: 1796287454, samples: 4, reason: 'complete' });
  });

  it('keeps arm64 keys (DirectMap64k, DirectMap32M) and the notes of what was missing', () => {
    const { value: tl } = ok(fixture('arm64-keys.frec'));
    expect(tl.keys).toEqual([
      'DirectMap4k',
      'DirectMap64k',
      'DirectMap2M',
      'DirectMap32M',
      'DirectMap1G',
    ]);
    expect(tl.samples.map((s) => s.values.DirectMap4k)).toEqual([
      1849344, 1851392, 1851392, 1853440, 1853440,
    ]);
    expect(tl.notes).toEqual([
      'no /sys/firmware/memmap (CONFIG_FIRMWARE_MEMMAP off or not x86): e820 map not recorded',
      'no direct_map_* counters in /proc/vmstat (the kernel does not count direct-map splits)',
    ]);
  });

  it('reads a nogbpages host as it was printed: no DirectMap1G key at all', () => {
    const { value: tl } = ok(fixture('x86-nogbpages.frec'));
    expect(tl.keys).not.toContain('DirectMap1G');
    expect(tl.samples.map((s) => s.values.direct_map_level2_splits)).toEqual([
      1211, 1211, 1219, 1731, 1731,
    ]);
    expect(tl.header.cmdline).toMatch(/ nogbpages /);
  });

  it('reads a kernel without the vmstat counters and a recording stopped by a signal', () => {
    const { value: tl, warnings } = ok(fixture('x86-missing-vmstat.frec'));
    expect(warnings).toEqual([]);
    expect(tl.keys).toEqual(['DirectMap4k', 'DirectMap2M', 'DirectMap1G']);
    expect(tl.end?.reason).toBe('signal');
    expect(tl.notes).toHaveLength(3);
  });
});

describe('fracture-record 1: a recording cut short imports up to its last whole sample', () => {
  it('drops the sample cut mid-line, naming the line, and says the end line is missing', () => {
    const r = ok(fixture('x86-cut-mid-line.frec'));
    expect(r.value.samples.map((s) => s.t)).toEqual([0, 10, 20.01]);
    expect(r.value.end).toBeNull();
    expect(r.warnings).toEqual([
      'line 32 is cut short (the recording ends mid-line): dropped',
      'no end line: the recording was cut short; 3 whole sample(s) up to t=20.01 s imported',
    ]);
  });

  it('accepts an end line that only lost its final newline', () => {
    const text = fixture('x86-nogbpages.frec').trimEnd();
    const r = ok(text);
    expect(r.warnings).toEqual([]);
    expect(r.value.end?.reason).toBe('complete');
  });

  it('closes a page-table dump cut by the end of the file as incomplete', () => {
    const full = fixture('x86-ptdump-trace.frec');
    const cut = full.slice(0, full.indexOf('ptdump-end'));
    const r = ok(cut);
    expect(r.value.ptdumps).toHaveLength(1);
    expect(r.value.ptdumps[0]?.complete).toBe(false);
    expect(r.warnings[0]).toMatch(/^line 41: page-table dump not closed/);
  });
});

describe('fracture-record 1: unknown fields and lines are kept or skipped, never an error', () => {
  it.each([
    ['a new sample key', 'sample t=0 wall=1 DirectMap4k=4 direct_map_level4_splits=1\n', 1],
    ['a new line kind', 'sample t=0 wall=1 DirectMap4k=4\nhistogram a=1 b=2\n', 1],
  ])('%s', (_name, body, samples) => {
    const r = ok(`# fracture-record 1\n${body}end t=1 wall=2 samples=1 reason=complete\n`);
    expect(r.value.samples).toHaveLength(samples);
    if (body.includes('level4')) expect(r.value.keys).toContain('direct_map_level4_splits');
    if (body.includes('histogram'))
      expect(r.warnings).toEqual(['line 3: not a line kind this version reads: ignored']);
  });

  it('reads a newer format version with a warning', () => {
    const r = ok('# fracture-record 7\nsample t=0 wall=1 DirectMap4k=4\nend t=0 reason=complete\n');
    expect(r.warnings[0]).toMatch(/format 7, newer than 1/);
  });

  it('skips a value that is not a number and says which', () => {
    const r = ok('# fracture-record 1\nsample t=0 wall=1 DirectMap4k=lots DirectMap2M=2048\n');
    expect(r.value.samples[0]?.values).toEqual({ DirectMap2M: 2048 });
    expect(r.warnings[0]).toBe('line 2: DirectMap4k=lots is not a number');
  });
});

describe('fracture-record 1: page-table frames and recorded calls', () => {
  const { value: tl } = ok(fixture('x86-ptdump-trace.frec'));

  it('keeps the direct-map region of each dump as offsets, which the ptdump importer reads', () => {
    expect(tl.ptdumps).toHaveLength(1);
    const frame = tl.ptdumps[0]!;
    expect(frame).toMatchObject({ t: 0.01, addresses: 'offset', lines: 22, complete: true });
    expect(frame.text.split('\n')[0]).toBe('---[ Low Kernel Mapping ]---');
    expect(frame.text.split('\n')[1]).toMatch(/^0x0000000000000000-0x0000000000200000 /);
    const pt = parsePtdump(ptdumpFrameText(frame));
    expect(pt.ok && pt.value).toMatchObject({
      pageOffsetBase: 0xffff888000000000n,
      meminfo: { DirectMap1G: (27 + 27 + 5) * 1048576 },
    });
  });

  it('reads each call with its offset, page count, stack and unknown fields', () => {
    expect(tl.trace.map((e) => [e.fn, e.dmOffset, e.pages])).toEqual([
      ['set_memory_4k', 0x123400000, 1],
      ['set_direct_map_invalid_noflush', 0x800200000, 1],
      ['set_memory_rox', null, 2],
    ]);
    expect(tl.trace[0]?.stack.slice(0, 2)).toEqual(['set_memory_4k+0', 'snp_rmptable_psmash+90']);
    expect(tl.trace[2]?.fields).toMatchObject({ region: 'outside', future_field: '42' });
  });
});

describe('fracture-record 1: what is not a recording is refused by name', () => {
  it.each([
    [
      '/proc/meminfo text',
      'MemTotal:       16390784 kB\nDirectMap4k: 4 kB\n',
      /not a fracture-record recording/,
    ],
    ['binary data', '# fracture-record 1\n\u0000\u0001\u0002ELF'.repeat(50), /binary/],
    ['a header without samples', '# fracture-record 1\nkernel_release=6.1\n', /no whole sample/],
  ])('%s', (_name, text, message) => {
    const r = parseFrec(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toMatch(message);
  });

  it('refuses a value that is not a string', () => {
    const r = parseFrec(42 as unknown as string);
    expect(!r.ok && r.errors[0]?.message).toBe('input is not text');
  });
});

describe('fracture-record 1: numbers read in place equal Number()', () => {
  it('for any time and counter the recorder can print (fast-check, seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 99 }),
        fc.maxSafeNat(),
        (s, cs, v) => {
          const t = `${s}.${String(cs).padStart(2, '0')}`;
          const r = parseFrec(`# fracture-record 1\nsample t=${t} wall=1 DirectMap4k=${v}\n`);
          const got = r.ok ? r.value.samples[0] : undefined;
          return got?.t === Number(t) && got.values.DirectMap4k === v;
        },
      ),
    );
  });
});
