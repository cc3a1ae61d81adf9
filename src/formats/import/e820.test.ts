import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseE820 } from './e820';
import { parseQemuTrace } from './qemu-trace';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('e820 and node ranges from dmesg', () => {
  it('turns inclusive BIOS-e820 usable lines into [start, end) ranges', () => {
    const r = parseE820(fixture('dmesg-e820.txt'));
    expect(r.ok && r.value.source).toBe('e820');
    expect(r.ok && r.value.ranges).toEqual([
      { start: 0, end: 0xa0000 },
      { start: 0x100000, end: 0x75b2f000 },
      { start: 0x100000000, end: 0x1080000000 },
    ]);
  });

  it('names the kernel from the linux_banner line, as host.linux', () => {
    const r = parseE820(fixture('dmesg-e820.txt'));
    expect(r.ok && [r.value.release, r.value.linux]).toEqual(['6.11.0', '6.11']);
    const bare = parseE820('BIOS-e820: [mem 0x0000000000100000-0x00000000ffffffff] usable\n');
    expect(bare.ok && [bare.value.release, bare.value.linux]).toEqual([null, null]);
  });

  it('prefers the memblock node ranges and merges touching ones across nodes', () => {
    const r = parseE820(fixture('dmesg-node-ranges.txt'));
    expect(r.ok && r.value.source).toBe('node');
    expect(r.ok && r.value.ranges).toEqual([
      { start: 0x1000, end: 0xa0000 },
      { start: 0x100000, end: 0x75b2f000 },
      { start: 0x100000000, end: 0x1080000000 },
    ]);
  });

  it('rejects a reversed range, naming the line', () => {
    const r = parseE820('BIOS-e820: [mem 0x0000000000100000-0x00000000000fffff] usable\n');
    expect(!r.ok && r.errors[0]?.line).toBe(1);
  });
});

describe('QEMU kvm_convert_memory trace', () => {
  it('maps private_to_shared to share and shared_to_private to unshare', () => {
    const r = parseQemuTrace(fixture('qemu-trace.txt'));
    expect(r.ok && r.value.map(({ op, gpa, sizeBytes }) => ({ op, gpa, sizeBytes }))).toEqual([
      { op: 'share', gpa: 0x80000000, sizeBytes: 0x200000 },
      { op: 'share', gpa: 0x7f000, sizeBytes: 0x1000 },
      { op: 'unshare', gpa: 0x7f000, sizeBytes: 0x1000 },
      { op: 'unshare', gpa: 0x100000000, sizeBytes: 0x40000000 },
    ]);
  });

  it('rejects a malformed trace line with the expected shape', () => {
    const r = parseQemuTrace('kvm_convert_memory start 0x1000 size 0x1000 sideways\n');
    expect(!r.ok && r.errors[0]?.expected).toMatch(/shared_to_private\|private_to_shared/);
  });
});
