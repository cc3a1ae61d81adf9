import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runImport } from './import';

const dir = new URL('../formats/import/fixtures/', import.meta.url);

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runImport(args, {
    readFile: (p) => readFileSync(new URL(p, dir), 'utf8'),
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
  });
  return { code, out, err, json: () => JSON.parse(out) };
}

describe('sim import', () => {
  it('prints DirectMap totals of a ptdump as meminfo {DirectMap4k, DirectMap2M, DirectMap1G} in kB', async () => {
    const r = await run('kernel-4level.txt', '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      format: 'ptdump',
      meminfo: { DirectMap4k: 11452, DirectMap2M: 5062656, DirectMap1G: 61865984 },
      pageOffsetBase: '0xffff888000000000',
    });
  });

  it('prints the split decomposition of two snapshots as vmstat', async () => {
    const r = await run('meminfo-x86.txt', 'meminfo-x86-after.txt', '--json');
    expect(r.code).toBe(0);
    expect(r.json().vmstat).toEqual({ direct_map_level2_splits: 512, direct_map_level3_splits: 1 });
  });

  it('prints decoded RMP entries as rmp', async () => {
    const r = await run('dmesg-rmp-violation.txt', '--json');
    const rmp = r.json().rmp;
    expect(rmp[0]).toEqual({
      pfn: 0x1a3c7f,
      assigned: true,
      pagesize: '4K',
      immutable: false,
      gpa: 0x7f000,
      asid: 5,
      vmsa: false,
      validated: true,
    });
  });

  it('prints readable text without --json', async () => {
    const r = await run('meminfo-x86.txt');
    expect(r.out).toContain('format: meminfo');
    expect(r.out).toContain('DirectMap1G:    61865984 kB');
    const t = await run('dmesg-e820.txt');
    expect(t.out).toContain('usable [0x100000000-0x1080000000)');
  });

  it('exits non-zero with the line and what was expected on bad input', async () => {
    const r = await run('meminfo-i386.txt');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/meminfo-i386\.txt:7: .*32-bit non-PAE.*\(expected /);
  });

  it('exits non-zero when the difference cannot come from splits alone', async () => {
    const r = await run('meminfo-x86-after.txt', 'meminfo-x86.txt', '--json');
    expect(r.code).toBe(1);
    expect(r.json().vmstat).toBe(null);
    expect(r.err).toMatch(/not splits alone/);
  });

  it('reports usage errors and unreadable files', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('a', 'b', 'c')).code).toBe(2);
    expect((await run('x.txt', '--page-offset-base', 'zz')).code).toBe(2);
    const missing = await run('no-such-file.txt');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read no-such-file\.txt/);
  });

  it('accepts an explicit page_offset_base', async () => {
    const r = await run(
      'dmesg-early-boot-kaslr.txt',
      '--page-offset-base=0xffff9b6a40000000',
      '--json',
    );
    expect(r.json()).toMatchObject({ baseSource: 'option', meminfo: { DirectMap1G: 6291456 } });
  });
});

describe('sim import of a timeline (issue 18: keys as the kernel names them, kB for DirectMap*)', () => {
  it('prints a recording as samples {t, time, DirectMap4k …, direct_map_level2_splits …}', async () => {
    const r = await run('frec/x86-this-host.frec', '--json');
    expect(r.code).toBe(0);
    const [tl, ...more] = r.json().timelines;
    expect(more).toEqual([]);
    expect(tl.header.kernel_release).toBe('6.18.44-fc-v1045');
    expect(tl.samples).toHaveLength(4);
    expect(tl.samples[0]).toMatchObject({
      t: 0.01,
      time: '2026-12-03T08:44:11.000Z',
      DirectMap4k: 30720,
      DirectMap2M: 2066432,
      DirectMap1G: 25165824,
      direct_map_level2_splits: 5,
    });
  });

  it('prints a Prometheus answer the same, bytes back to kB, one timeline per instance', async () => {
    const r = await run('prometheus/query-range-this-host.json', '--json');
    expect(r.code).toBe(0);
    const tls = r.json().timelines;
    expect(tls.map((t: { host: string }) => t.host)).toEqual(['127.0.0.1:19100']);
    expect(tls[0].samples[0]).toMatchObject({ DirectMap4k: 30720, direct_map_level2_splits: 5 });
  });

  it('summarises host, kernel, duration, samples and first → last without --json', async () => {
    const r = await run('frec/x86-this-host.frec');
    expect(r.out).toContain('kernel: 6.18.44-fc-v1045 (x86_64)');
    expect(r.out).toContain('duration: 3 s');
    expect(r.out).toContain('samples: 4');
    expect(r.out).toContain('DirectMap4k: 30720 → 30720 kB');
    expect(r.out).toContain('direct_map_level2_splits: 5 → 5');
  });

  it('names the error of a Prometheus error answer', async () => {
    const r = await run('prometheus/error-bad-data.json', '--json');
    expect(r.code).toBe(1);
    expect(r.json().ok).toBe(false);
    expect(r.err).toMatch(/^error: /);
  });

  it("--scenario prints a recording's --trace calls as a scenario; calls it cannot place on stderr", async () => {
    const r = await run('frec/x86-ptdump-trace.frec', '--scenario');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      version: 2,
      kernel: 'no-snp',
      guests: [],
      host: {
        linux: '6.18',
        ranges: [
          ['0x0', '0x9f000'],
          ['0x100000', '0xc0000000'],
          ['0x100000000', '0x640000000'],
        ],
      },
      events: [
        {
          op: 'recorded-call',
          call: 'set_memory_4k',
          pfn: '0x123400',
          count: 1,
          caller: 'snp_rmptable_psmash',
        },
      ],
    });
    expect(r.err).toContain('1 call(s) left out: outside the direct map (region=outside)');
    expect(r.err).toContain('1 call(s) left out: beyond the recorded RAM');
    const bad = await run('meminfo-x86.txt', '--scenario');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--scenario needs a fracture-record.sh recording');
  });
});
