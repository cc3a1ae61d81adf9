/**
 * Damaged input is refused with the line that is wrong, never parsed around (issue 16, "Hostile or
 * broken input"). Each table is one rule; the source of the rule is in the importer it tests.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importText } from './index';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const errorOf = (text: string) => {
  const r = importText(text);
  expect(r.ok).toBe(false);
  return r.ok ? undefined : r.errors[0];
};

describe('rule: a NUL byte anywhere makes the input a binary file, naming its offset (common.ts checkInput)', () => {
  const meminfo = fixture('meminfo-x86.txt');
  const ptdump = fixture('kernel-4level.txt');
  const big = `${'[ 1.000000] usb 1-1: new high-speed USB device\n'.repeat(3000)}`; // ~140 KiB
  it.each([
    ['at offset 0', `\u0000${meminfo}`, 0],
    ['inside the first 64 KiB', `${meminfo}\u0000`, meminfo.length],
    ['after the first 64 KiB', `${big}${meminfo}\u0000tail`, big.length + meminfo.length],
    ['at the very end of a 140 KiB dump', `${big}${ptdump}\u0000`, big.length + ptdump.length],
  ])('%s', (_where, text, offset) => {
    const e = errorOf(text);
    const line = text.slice(0, offset).split('\n').length;
    expect(e).toMatchObject({ line, expected: expect.stringMatching(/plain text/) });
    expect(e?.message).toContain('binary file');
    expect(e?.message).toContain(`NUL byte at offset ${offset}, line ${line}`);
  });

  it('a text without NUL past 64 KiB still parses', () => {
    const r = importText(`${big}${meminfo}`);
    expect(r.ok && r.data.format).toBe('meminfo');
  });
});

describe('rule: a meminfo value is unsigned; a negative or non-numeric one is named with its line (fs/proc/meminfo.c show_val_kb)', () => {
  const base = fixture('meminfo-x86.txt');
  const lineOf = (text: string, key: string) =>
    text.split('\n').findIndex((l) => l.startsWith(`${key}:`)) + 1;
  it.each([
    ['MemTotal', '-65536712 kB', /negative value/],
    ['MemTotal', 'lots kB', /^a number of kB/],
    ['MemFree', '-1 kB', /negative value/],
    ['Buffers', '-4 kB', /negative value/],
    ['HugePages_Total', '-2', /negative value/],
    ['Hugepagesize', '2M', /^a number of kB/],
    ['DirectMap2M', '-5062656 kB', /negative value/],
    ['DirectMap1G', '', /^a number of kB/],
  ])('%s: %s', (key, value, expected) => {
    const text = base.replace(
      new RegExp(`^${key.replace(/[()]/g, '\\$&')}:.*$`, 'm'),
      `${key}: ${value}`,
    );
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, key), message: `${key}: found "${value}"` });
    expect(e?.expected).toMatch(expected);
  });

  it('a field the kernel does not print is passed over, whatever its value', () => {
    const r = importText(`${base}Foo: -3 kB\nMemory: 123K/456K available\n`);
    expect(r.ok && r.data.format).toBe('meminfo');
  });
});

describe('rule: a vmstat counter is unsigned; a negative one is named with its line (mm/vmstat.c vmstat_show)', () => {
  const base = fixture('vmstat-x86.txt');
  it.each([
    ['direct_map_level2_splits', '-5'],
    ['direct_map_level3_splits', 'x'],
    ['nr_free_pages', '-12'],
  ])('%s %s', (key, value) => {
    const text = base.replace(new RegExp(`^${key} .*$`, 'm'), `${key} ${value}`);
    const line = text.split('\n').findIndex((l) => l.startsWith(`${key} `)) + 1;
    expect(errorOf(text)).toMatchObject({ line, message: `${key}: found "${value}"` });
  });
});

describe('rule: a line that begins like an e820 or node range but does not parse is named, not skipped (arch/x86/kernel/e820.c e820__print_table)', () => {
  const base = fixture('dmesg-e820.txt');
  it.each([
    ['a non-hex address', 'BIOS-e820: [mem 0x00000000000zz000-0x000000000009fbff] usable'],
    ['a cut-off line', 'BIOS-e820: [mem 0x0000000000100000-0x00000000bf'],
    ['an overlong address', 'BIOS-e820: [mem 0x00000000001000000-0x0000000000200000] usable'],
    ['a node range with a bad number', 'node   0: [mem 0x0000000000001000-0xZZ]'],
  ])('%s', (_what, line) => {
    const text = `${base}${line}\n`;
    const e = errorOf(text);
    expect(e).toMatchObject({
      line: text.split('\n').length - 1,
      message: expect.stringMatching(/^malformed memory range/),
    });
  });
});

describe('rule: a line that begins like an SEV-SNP message but does not parse is named (arch/x86/virt/svm/sev.c dump_rmpentry, rmpupdate)', () => {
  const base = fixture('dmesg-rmpupdate-failed.txt');
  it.each([
    [
      'a pg_level the RMP does not have',
      'SEV-SNP: RMPUPDATE failed for PFN 1f2a00, pg_level: 3, ret: 3',
    ],
    ['a non-hex PFN', 'SEV-SNP: PFN 0xqq, RMP entry: [0x0000000000000000 - 0x0000000000000000]'],
    ['a cut-off RMP entry', 'SEV-SNP: PFN 0x1f2a00, RMP entry: [0x80000000000'],
    ['a split failure without ret', 'SEV-SNP: Failed to split direct map for PFN 0x1f2a00'],
  ])('%s', (_what, line) => {
    const text = `${base}${line}\n`;
    expect(errorOf(text)).toMatchObject({
      line: text.split('\n').length - 1,
      message: expect.stringMatching(/^malformed SEV-SNP line/),
    });
  });
});
