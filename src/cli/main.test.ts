import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { encodeShareFragment, parseScenario } from '../scenario/index';
import { MODEL_VERSION as M } from '../scenario/versions';
import { main } from './main';

function harness(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    readFile(path: string): string {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    out: (s: string) => out.push(s),
    err: (s: string) => err.push(s),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

async function run(args: string[], files: Record<string, string> = {}) {
  const h = harness(files);
  const code = await main(args, h.io);
  return { code, out: h.out(), err: h.err() };
}

const small = {
  version: 2,
  title: 'small',
  // The t≈0 layout: these tests are about the CLI, not about what boot splits.
  host: { ram: '2G', kernelMemory: '64M', boot: 'bare' },
  kernel: 'upstream-2024',
  guests: [{ name: 'vm', memory: '64M', vcpus: 1, backing: 'thp' }],
  events: [
    { op: 'launch', guest: 'vm' },
    { op: 'accept', guest: 'vm', gpa: '0x0', size: '2M' },
    { op: 'share', guest: 'vm', gpa: '0x1f000' },
  ],
};

describe('sim run', () => {
  it('prints the JSON contract for a preset: meminfo, vmstat, outcomes, steps, digest', async () => {
    const r = await run(['run', 'thread-2021', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.meminfo)).toEqual(['DirectMap4k', 'DirectMap2M', 'DirectMap1G']);
    expect(Object.keys(j.vmstat)).toEqual(['direct_map_level2_splits', 'direct_map_level3_splits']);
    expect(Object.keys(j.outcomes).sort()).toEqual(
      [
        'rmp_faults',
        'thp_splits',
        'guests_killed',
        'launches_refused',
        'psmash',
        'host_oops',
        'tlb_flushes',
        'page_table_pages',
      ].sort(),
    );
    expect(j.steps).toBe(9);
    expect(j.step).toBe(9);
    expect(j.kernel).toBe('rfc-2021');
    expect(j.guests).toEqual([{ name: 'vm', status: 'exited' }]);
    expect(j.digest).toMatch(/^[0-9a-f]{8}$/);
    expect(j.scenarioDigest).toMatch(/^fnv1a64:/);
    expect(j.outcomes.thp_splits).toBe(1);
    // DirectMap sum is the mapped RAM: 1 GiB minus the RMP table's 6 MiB e820 reservation.
    expect(j.meminfo.DirectMap4k + j.meminfo.DirectMap2M + j.meminfo.DirectMap1G).toBe(1042432);
  });

  it('reports DirectMap1G as 0 in JSON and prints no 1G line without gbpages', async () => {
    const s = { ...small, host: { ...small.host, gbpages: false } };
    const files = { 's.json': JSON.stringify(s) };
    const j = JSON.parse((await run(['run', 's.json', '--json'], files)).out);
    expect(j.meminfo.DirectMap1G).toBe(0);
    const text = (await run(['run', 's.json', '--meminfo'], files)).out;
    expect(text).toBe('DirectMap4k:       12288 kB\nDirectMap2M:     2074624 kB\n');
  });

  it('--step N stops after N events; step 0 is the host right after boot', async () => {
    const files = { 's.json': JSON.stringify(small) };
    const j0 = JSON.parse((await run(['run', 's.json', '--json', '--step', '0'], files)).out);
    expect(j0.step).toBe(0);
    expect(j0.steps).toBe(3);
    // The TMR's and the SNP_PLATFORM_STATUS page's splits when ccp / kvm_amd load after boot
    // count (snp.tmr, snp.fw_page).
    expect(j0.vmstat.direct_map_level2_splits).toBe(2);
    expect(j0.guests[0].status).toBe('created');
    const j3 = JSON.parse((await run(['run', 's.json', '--json', '--step=3'], files)).out);
    expect(j3.vmstat.direct_map_level2_splits).toBeGreaterThan(1);
  });

  it('--by-cause prints where DirectMap4k comes from; --json carries byCause', async () => {
    const r = await run(['run', 'bpf-sockex1-v5.17', '--by-cause', '--log', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^by cause \(Linux 5\.17;/m);
    expect(r.out).toMatch(
      /^ {2}bpf +DirectMap4k +\d+ kB, splits \d+ \/ 3, collapses 0 \/ 0, never heals$/m,
    );
    // udev's modules split the first 1 GiB of ZONE_NORMAL at boot (the preset has no KFENCE pool).
    expect(r.out).toMatch(/^ {2}module +DirectMap4k +\d+ kB, splits \d+ \/ 1,/m);
    expect(r.out).not.toMatch(/^ {2}kfence /m);
    const j = JSON.parse((await run(['run', 'bpf-sockex1-v6.1', '--json'])).out);
    expect(j.linux).toBe('6.1');
    expect(j.byCause.map((c: { cause: string }) => c.cause)).toEqual(['boot', 'kernel', 'module']);
    expect((await run(['run', 'thread-2021', '--by-causes'])).code).toBe(2);
  });

  it('--meminfo, --vmstat and --ptdump print the kernel formats in that order', async () => {
    const r = await run(['run', 'thread-2021', '--ptdump', '--vmstat', '--meminfo']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'DirectMap4k:       12288 kB',
      'DirectMap2M:     1030144 kB',
      'DirectMap1G:           0 kB',
      'direct_map_level2_splits 5',
      'direct_map_level3_splits 0',
      '---[ Low Kernel Mapping ]---',
    ]);
    // The boot-time 4K first 2 MiB, then the guest's 2 MiB split at 64 MiB (ZONE_DMA32).
    expect(lines[6]).toBe(
      '0xffff888000000000-0xffff888000200000           2M     RW                 GLB NX pte',
    );
  });

  it('prints removed direct-map pages (unmap-2023) as not-present pte lines', async () => {
    const s = { ...small, kernel: 'unmap-2023' };
    const r = await run(['run', 's.json', '--ptdump'], { 's.json': JSON.stringify(s) });
    expect(r.code).toBe(0);
    // The guest's 512 private pages, one of them shared again, last: before them the SNP host's own
    // firmware pages, VMSA and launch image, all removed too (every assigned RMPUPDATE invalidates
    // in this era), from ZONE_DMA32's unmovable pageblocks past the 16-64 MiB kernel image.
    const notPresent = r.out.split('\n').filter((l) => / {30}pte$/.test(l));
    expect(notPresent.length).toBe(6);
    expect(notPresent.slice(-2)).toEqual([
      '0xffff888004642000-0xffff888004661000         124K                               pte',
      '0xffff888004662000-0xffff888004842000        1920K                               pte',
    ]);
  });

  it('prints a readable summary with guests, counters, digest and dmesg-like outcome lines', async () => {
    const r = await run(['run', 'thread-2021-hugetlbfs']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('kernel: rfc-2021');
    expect(r.out).toMatch(/vm: 256M, hugetlbfs-2m, 1 vCPU: killed \(rfc\.hugetlb_sigbus\)/);
    expect(r.out).toContain('DirectMap4k:');
    expect(r.out).toContain('direct_map_level2_splits 5');
    expect(r.out).toMatch(/^digest: [0-9a-f]{8}$/m);
    expect(r.out).toMatch(/^\[ {6}4\] vm: guest killed {2}\[rfc\.hugetlb_sigbus\]$/m);
  });

  it('runs a share URL with overrides, taking its step, and reports repairs on stderr', async () => {
    const url = `https://example.org/#preset=thread-2021&kernel=hugetlb-ban-2022&backing=hugetlbfs-2m&step=1`;
    const j = JSON.parse((await run(['run', url, '--json'])).out);
    expect(j.kernel).toBe('hugetlb-ban-2022');
    expect(j.step).toBe(1);
    expect(j.outcomes.launches_refused).toBe(1);
    const parsed = parseScenario(small);
    if (!parsed.ok) throw new Error('fixture');
    const frag = `${encodeShareFragment(parsed.scenario, {})}&bogus=1`;
    const r = await run(['run', frag, '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/repaired: parameter "bogus": unknown, ignored/);
  });

  it('runs a workload without profiles on the default mix and says so as a warning', async () => {
    // Issue 16: not refused, and not called a repair (nothing in the file was changed).
    const file = JSON.stringify({ ...small, version: 2, workload: { seed: 3, steps: 50 } });
    const r = await run(['run', 'w.json', '--json'], { 'w.json': file });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).steps).toBe(53);
    expect(r.err).toBe(
      'sim run: warning: workload.profiles: missing; using the default mix linux-boot (weight 1) and virtio-io (weight 1)\n',
    );
  });

  it('applies --kernel and --backing overrides to every guest', async () => {
    const j = JSON.parse(
      (await run(['run', 'thread-2021', '--json', '--kernel', 'upstream-2024', '--backing', '4k']))
        .out,
    );
    expect(j.kernel).toBe('upstream-2024');
    expect(j.outcomes.thp_splits).toBe(0);
  });

  it.each([
    ['5.12', ''],
    ['6.15', 'direct_map_level2_collapses 0\ndirect_map_level3_collapses 0\n'],
  ])('--linux %s sets host.linux (the vmstat lines of 6.15 appear)', async (linux, extra) => {
    const r = await run(['run', 'thread-2021', '--vmstat', '--linux', linux]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`direct_map_level2_splits 5\ndirect_map_level3_splits 0\n${extra}`);
    const s = await run(['run', 'thread-2021', '--linux', linux]);
    expect(s.out).toMatch(
      new RegExp(`kernel: rfc-2021 \\(.*\\), Linux ${linux.replace('.', '\\.')}\n`),
    );
  });

  it.each([
    [['run', 'no-such-preset'], 1, /cannot read "no-such-preset".*preset: thread-2021/],
    [
      ['run', 'thread-2021', '--linux', 'next'],
      2,
      /--linux: found "next"; expected a kernel version such as/,
    ],
    [['run', 'bad.json'], 1, /bad\.json: not valid JSON/],
    [['run', 'invalid.json'], 1, /invalid\.json: guests\[0\]\.backing: found "hugetlb"/],
    [['run', 'thread-2021', '--step', '10'], 1, /--step: found 10; expected a step from 0 to 9/],
    [['run', 'thread-2021', '--step', 'x'], 2, /--step: found "x"; expected a whole number/],
    [['run', 'thread-2021', '--frobnicate'], 2, /unknown option "--frobnicate"/],
    [['run', 'thread-2021', '--kernel', 'linux'], 2, /--kernel: found "linux"; expected one of/],
    [['run'], 2, /expected one scenario/],
    [['frob'], 2, /unknown command "frob"/],
  ])('rejects %j with exit %i and a message naming the field', async (args, code, msg) => {
    const files = {
      'bad.json': '{"version": 1,',
      'invalid.json': JSON.stringify({
        ...small,
        guests: [{ name: 'vm', memory: '1G', vcpus: 1, backing: 'hugetlb' }],
      }),
    };
    const r = await run(args, files);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(msg);
    expect(r.out).toBe('');
  });

  it('lists presets and prints help', async () => {
    const p = await run(['presets']);
    expect(p.out.split('\n')[0]).toMatch(/^thread-2021 +rfc-2021 +The 2021 thread/);
    const h = await run(['help']);
    expect(h.out).toContain('usage: sim <command>');
  });

  it('url prints a fragment line that run accepts back', async () => {
    const u = await run(['url', 'thread-2021', '--step', '3']);
    expect(u.out).toBe(`#preset=thread-2021&m=${M}&step=3\n`);
    const j = JSON.parse((await run(['run', u.out.trim(), '--json'])).out);
    expect(j.step).toBe(3);
  });
});

describe('sim as a process (npx tsx src/cli/main.ts)', () => {
  const sim = (args: string[]) =>
    spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('prints the same JSON as main() and exits 0', async () => {
    const p = sim(['run', 'thread-2021', '--json']);
    expect(p.status).toBe(0);
    const inProcess = await run(['run', 'thread-2021', '--json']);
    expect(p.stdout).toBe(inProcess.out);
  });

  it('exits non-zero with the message on stderr for an unknown preset', () => {
    const p = sim(['run', 'thread-2042']);
    expect(p.status).toBe(1);
    expect(p.stderr).toMatch(/cannot read "thread-2042"/);
    expect(p.stdout).toBe('');
  });
});

describe('sim sweep', () => {
  it('prints one row per design × backing and a JSON cell per combination', async () => {
    const out: string[] = [];
    const io = { readFile: () => '', out: (s: string) => out.push(s), err: () => {} };
    expect(await main(['sweep', 'thread-2021', '--json'], io)).toBe(0);
    const json = JSON.parse(out.join('')) as {
      cells: { kernel: string; backing: string; outcomes: { guests_killed: number } }[];
    };
    expect(json.cells).toHaveLength(32);
    const killed = json.cells.find((c) => c.kernel === 'rfc-2021' && c.backing === 'hugetlbfs-2m');
    expect(killed?.outcomes.guests_killed).toBe(1);
  });

  it('exits 1 naming the problem for an unknown preset', async () => {
    const err: string[] = [];
    const io = {
      readFile: () => {
        throw new Error('ENOENT');
      },
      out: () => {},
      err: (s: string) => err.push(s),
    };
    expect(await main(['sweep', 'no-such-preset'], io)).toBe(1);
    expect(err.join('')).toMatch(/no-such-preset/);
  });
});
