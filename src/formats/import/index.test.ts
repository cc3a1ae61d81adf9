import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_CHARS } from './common';
import { detectFormat, importPair, importText } from './index';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('format detection', () => {
  it.each([
    ['kernel-4level.txt', 'ptdump'],
    ['dmesg-early-boot-kaslr.txt', 'ptdump'],
    ['kernel-5level.txt', 'ptdump'],
    ['meminfo-x86.txt', 'meminfo'],
    ['meminfo-arm64.txt', 'meminfo'],
    ['vmstat-x86.txt', 'vmstat'],
    ['dmesg-e820.txt', 'e820'],
    ['dmesg-node-ranges.txt', 'e820'],
    ['dmesg-rmp-violation.txt', 'snp-rmp'],
    ['dmesg-rmpupdate-failed.txt', 'snp-rmp'],
    ['qemu-trace.txt', 'qemu-trace'],
  ])('recognises %s as %s', (name, format) => {
    expect(detectFormat(fixture(name)).format).toBe(format);
  });

  it('prefers the SNP oops in a whole dmesg that also holds the e820 map', () => {
    const d = detectFormat(fixture('dmesg-e820.txt') + fixture('dmesg-rmp-violation.txt'));
    expect(d).toMatchObject({ format: 'snp-rmp', also: ['e820'] });
  });

  it('strips printk timestamps, caller ids and colour codes', () => {
    const line =
      '\u001b[32m[    0.009700]\u001b[0m [    T1] DirectMap4k:        2048 kB\nDirectMap2M: 2048 kB';
    expect(detectFormat(line).format).toBe('meminfo');
  });
});

describe('importText: bad input is a value, never an exception', () => {
  it('rejects binary data on the first page', () => {
    const r = importText('\u0000\u0001ELF\u0002\u0003'.repeat(100));
    expect(!r.ok && r.errors[0]?.message).toMatch(/binary/);
  });

  it('rejects text over the 64 MiB limit at once', () => {
    const huge = 'x'.repeat(MAX_INPUT_CHARS + 1);
    const t0 = performance.now();
    const r = importText(huge);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(!r.ok && r.errors[0]).toMatchObject({
      line: 0,
      message: expect.stringMatching(/64 MiB limit/),
    });
  });

  it('parses 7 MiB of dmesg noise around a dump in linear time', () => {
    const noise = `${'[ 12.345678] usb 1-1: new high-speed USB device number 2 using xhci_hcd\n'.repeat(60_000)}`;
    const t0 = performance.now();
    const r = importText(noise + fixture('kernel-4level.txt') + noise);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.ok && r.data.format).toBe('ptdump');
  });

  it('reports unknown text with what was expected', () => {
    const r = importText('hello world\n');
    expect(!r.ok && r.errors[0]?.expected).toMatch(/ptdump/);
  });

  it('never throws on arbitrary or mangled input', () => {
    const pieces = [
      fixture('kernel-4level.txt'),
      fixture('meminfo-x86.txt'),
      fixture('dmesg-rmp-violation.txt'),
      fixture('qemu-trace.txt'),
    ].join('');
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.nat(pieces.length),
        fc.nat(400),
        (junk, at, cut) => {
          const text = pieces.slice(0, at) + junk + pieces.slice(at + cut);
          expect(() => importText(text)).not.toThrow();
          expect(() => importText(junk)).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('importPair: before and after snapshots', () => {
  it('decomposes two meminfo snapshots into vmstat splits', () => {
    const p = importPair(fixture('meminfo-x86.txt'), fixture('meminfo-x86-after.txt'));
    expect(p.ok && p.vmstat).toEqual({
      direct_map_level2_splits: 512,
      direct_map_level3_splits: 1,
    });
  });

  it('compares a ptdump with a meminfo of the same machine', () => {
    const p = importPair(fixture('kernel-4level.txt'), fixture('meminfo-x86-after.txt'));
    expect(p.ok && p.vmstat).toEqual({
      direct_map_level2_splits: 512,
      direct_map_level3_splits: 1,
    });
  });

  it('says clearly when the difference cannot come from splits alone', () => {
    const p = importPair(fixture('meminfo-x86-after.txt'), fixture('meminfo-x86.txt'));
    expect(p.ok && p.vmstat).toBe(null);
    expect(p.ok && p.notes[0]).toMatch(/not splits alone/);
  });

  it('subtracts two vmstat snapshots', () => {
    const after = fixture('vmstat-x86.txt').replace('level2_splits 517', 'level2_splits 1029');
    const p = importPair(fixture('vmstat-x86.txt'), after);
    expect(p.ok && p.vmstat).toEqual({
      direct_map_level2_splits: 512,
      direct_map_level3_splits: 0,
    });
  });

  it('refuses to compare formats that share no measure, naming which side failed', () => {
    const p = importPair(fixture('dmesg-e820.txt'), fixture('meminfo-x86.txt'));
    expect(p.ok).toBe(false);
    const q = importPair(fixture('meminfo-x86.txt'), fixture('meminfo-arm64.txt'));
    expect(!q.ok && q.errors[0]?.which).toBe('after');
  });
});
