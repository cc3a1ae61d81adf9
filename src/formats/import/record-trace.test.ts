/**
 * fracture-record.sh --trace end to end, with bpftrace replaced by a stub (FRACTURE_BPFTRACE) that
 * keeps the program the script wrote and prints realistic bpftrace output for it
 * (fixtures/bpftrace/probe-output.txt): the script's reader turns it into "trace" lines, the
 * importer reads them and the timeline groups the calls by caller ("who split what"). Where
 * bpftrace itself is installed, its dry run (-d) compiles the program the script wrote.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { traceGroups } from '../../worker/timeline-host';
import { parseFrec } from './frec';

const SCRIPT = new URL('../../../public/fracture-record.sh', import.meta.url).pathname;
const FIX = new URL('./fixtures/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'fracture-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const x86 = spawnSync('uname', ['-m'], { encoding: 'utf8' }).stdout.trim() === 'x86_64';
const hasBpftrace = spawnSync('sh', ['-c', 'command -v bpftrace']).status === 0;
/** bpftrace resolves kaddr() against this host's kernel: the KASLR program compiles only there. */
const hostHasKaslrBases = / page_offset_base$/m.test(
  spawnSync('sh', ['-c', 'grep -E " (page_offset_base|vmemmap_base)$" /proc/kallsyms'], {
    encoding: 'utf8',
  }).stdout ?? '',
);

/** /proc/kallsyms lines as the kernel prints them ("address type name"). */
const KALLSYMS = [
  'ffffffff81077b50 T set_memory_uc',
  'ffffffff81077e10 T set_memory_ro',
  'ffffffff81077f00 T set_memory_4k',
  'ffffffff81078100 T set_direct_map_invalid_noflush',
  'ffffffff81078160 T set_direct_map_valid_noflush',
  'ffffffff8107a2e0 T set_mce_nospec',
  'ffffffff81078190 t __set_memory_enc_dec',
  'ffffffffc0a10000 T kvm_vcpu_ioctl\t[kvm]',
];
const BASES = [
  'ffffffff82a1b8d0 D page_offset_base',
  'ffffffff82a1b8c8 D vmalloc_base',
  'ffffffff82a1b8c0 D vmemmap_base',
];

function procDir(name: string, kallsyms: string[]): string {
  const proc = join(dir, name);
  spawnSync('mkdir', ['-p', proc]);
  copyFileSync(join(FIX, 'meminfo-x86.txt'), join(proc, 'meminfo'));
  copyFileSync(join(FIX, 'vmstat-x86.txt'), join(proc, 'vmstat'));
  writeFileSync(join(proc, 'kallsyms'), `${kallsyms.join('\n')}\n`);
  return proc;
}

/** A bpftrace stand-in: keeps the program, prints the fixture with times from now, waits. */
function stub(name: string): { path: string; program: string } {
  const path = join(dir, `${name}-bpftrace`);
  const program = join(dir, `${name}.bt`);
  const out = join(FIX, 'bpftrace/probe-output.txt');
  writeFileSync(
    path,
    `#!/bin/sh
[ "$1 $2" = "-B line" ] || { echo "unexpected arguments: $*" >&2; exit 1; }
cp "$3" '${program}'
read -r up _ </proc/uptime
base=$(( \${up%.*} * 1000000000 + 1\${up#*.}0000000 - 1000000000 ))
while IFS= read -r l; do
  case $l in
  'T '*) set -f; set -- $l; set +f; ns=$(($2 + base)); shift 2; printf 'T %s %s\\n' "$ns" "$*" ;;
  *) printf '%s\\n' "$l" ;;
  esac
done <'${out}'
exec sleep 30
`,
  );
  chmodSync(path, 0o755);
  return { path, program };
}

function record(name: string, kallsyms: string[], bpftrace?: string) {
  const out = join(dir, `${name}.frec`);
  const env: NodeJS.ProcessEnv = { ...process.env, FRACTURE_PROC: procDir(name, kallsyms) };
  if (bpftrace) env.FRACTURE_BPFTRACE = bpftrace;
  const run = spawnSync('sh', [SCRIPT, '--duration', '1', '--trace', '--output', out], {
    encoding: 'utf8',
    env,
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const r = parseFrec(readFileSync(out, 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return { tl: r.value, stderr: run.stderr };
}

describe('fracture-record.sh --trace: bpftrace output to trace lines to callers', () => {
  const s = stub('kaslr');
  const { tl, stderr } = record('kaslr', [...KALLSYMS, ...BASES], s.path);
  const program = readFileSync(s.program, 'utf8');

  it('probes only the functions /proc/kallsyms lists, and notes the others', () => {
    const probes = [...program.matchAll(/^kprobe:(\w+) /gm)].map((m) => m[1]).sort();
    expect(probes).toEqual([
      'set_direct_map_invalid_noflush',
      'set_direct_map_valid_noflush',
      'set_mce_nospec',
      'set_memory_4k',
      'set_memory_ro',
      'set_memory_uc',
    ]);
    const note =
      '--trace: not in /proc/kallsyms (inlined or absent), not traced: set_memory_rox set_memory_np set_memory_wc set_memory_wb set_direct_map_default_noflush';
    expect(tl.notes).toContain(note);
    expect(stderr).toContain(note);
    expect(tl.header.trace_functions?.split(' ').sort()).toEqual(probes);
  });

  it('writes kernel stacks and direct-map offsets from the KASLR bases, never raw addresses', () => {
    expect(program).toContain('kstack(16)');
    expect(program).toContain('kaddr("page_offset_base")');
    expect(program).toContain('kaddr("vmemmap_base")');
    expect(program).not.toMatch(/printf\("A addr=/);
    // set_direct_map_invalid_noflush(page) is one page; only the _valid_ one takes nr in arg1.
    expect(program).toMatch(/kprobe:set_direct_map_invalid_noflush \{[^\n]*pid, 1, comm\)/);
    expect(program).toMatch(/kprobe:set_direct_map_valid_noflush \{[^\n]*pid, arg1, comm\)/);
  });

  it('reads every call: function, pages, comm, direct-map range and stack', () => {
    expect(tl.trace.map((e) => e.fn)).toEqual([
      'set_memory_4k',
      'set_memory_4k',
      'set_direct_map_invalid_noflush',
      'set_memory_ro',
      'set_direct_map_valid_noflush',
      'set_mce_nospec',
    ]);
    const [a, , secret, ro, gmem, mce] = tl.trace;
    expect(a).toMatchObject({
      pid: 2210,
      pages: 1,
      comm: 'qemu-system-x86',
      dmOffset: 0x123400000,
    });
    expect(a!.stack).toHaveLength(15);
    expect(a!.stack[4]).toBe('sev_gmem_prepare+283[kvm_amd]');
    expect(secret).toMatchObject({ pages: 1, dmOffset: 0x800200000 });
    // Outside the direct map (a BPF image in vmalloc space): no address, the frame bpftrace could
    // not name left out.
    expect(ro!.dmOffset).toBeNull();
    expect(ro!.fields.region).toBe('outside');
    expect(ro!.stack.at(-1)).toBe('?');
    expect(gmem).toMatchObject({ comm: 'Web_Content', pages: 512, dmOffset: 0x40000000 });
    expect(mce).toMatchObject({ comm: 'kworker/u8:2', dmOffset: 0x7f3a1000 });
    // Times on the recording's clock: the stub printed them 0.41 … 2.6 s after it started.
    const t = tl.trace.map((e) => e.t);
    expect([...t].sort((x, y) => x - y)).toEqual(t);
    expect(t[5]! - t[0]!).toBeCloseTo(2.19, 1);
  });

  it('groups the calls by caller, most pages first: who split what', () => {
    const { groups, group } = traceGroups(tl.trace);
    expect(groups.map((g) => [g.caller, g.calls, g.pages])).toEqual([
      ['kvm_gmem_free_folio [kvm]', 1, 512],
      ['adjust_direct_map', 2, 2],
      ['bpf_prog_lock_ro', 1, 2],
      ['memory_failure', 1, 1],
      ['secretmem_fault', 1, 1],
    ]);
    expect(groups[1]!.comms).toEqual(['qemu-system-x86']);
    expect(Array.from(group)).toEqual([1, 1, 4, 2, 0, 3]);
  });

  it.skipIf(!hasBpftrace || !hostHasKaslrBases)('compiles in bpftrace itself (dry run)', () => {
    const r = spawnSync('bpftrace', ['-d', s.program], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr.slice(0, 400)).toBe(0);
  });
});

describe.skipIf(!x86)('fracture-record.sh --trace without the KASLR variables (x86-64)', () => {
  const s = stub('fixed');
  record('fixed', KALLSYMS, s.path);
  const program = readFileSync(s.program, 'utf8');

  it('uses the fixed 4- and 5-level bases of Documentation/arch/x86/x86_64/mm.rst', () => {
    expect(program).not.toContain('kaddr(');
    expect(program).toContain('0xffff888000000000');
    expect(program).toContain('0xff11000000000000');
    expect(program).toContain('0xffffea0000000000');
  });

  it.skipIf(!hasBpftrace)('compiles in bpftrace itself (dry run)', () => {
    const r = spawnSync('bpftrace', ['-d', s.program], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr.slice(0, 400)).toBe(0);
  });
});

describe('fracture-record.sh --trace where it cannot trace: a note, and the recording goes on', () => {
  it('without bpftrace', () => {
    const { tl } = record('nobpf', KALLSYMS, join(dir, 'no-such-bpftrace'));
    expect(tl.notes).toContain('--trace: bpftrace is not installed: no calls recorded');
    expect(tl.samples.length).toBeGreaterThanOrEqual(2);
    expect(tl.end?.reason).toBe('complete');
  });

  it('when none of the functions is in /proc/kallsyms', () => {
    const { tl } = record('nosyms', ['ffffffff81000000 T _stext'], stub('nosyms').path);
    expect(tl.notes).toContain(
      '--trace: none of the traced functions is in /proc/kallsyms: no calls recorded',
    );
    expect(tl.trace).toEqual([]);
    expect(tl.end?.reason).toBe('complete');
  });
});
