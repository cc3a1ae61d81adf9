import { describe, expect, it } from 'vitest';
import { parseGoto } from './goto';

const FRAMES = 262_144; // 1 GiB

describe('the go-to box (goto.ts parseGoto)', () => {
  it.each([
    ['0x200000', 0x200],
    ['2097152', 0x200],
    ['2M', 0x200],
    ['512 MiB', 0x20000],
    ['pfn 0x21f', 0x21f],
    ['PFN:543', 543],
    ['  0x21f000 ', 0x21f],
  ])('%s is frame %i', (text, pfn) => {
    expect(parseGoto(text, FRAMES)).toEqual({ pfn });
  });

  it.each([
    ['', 'Type an address'],
    ['banana', 'Not an address or PFN'],
    ['0x40000000', 'Beyond this map'],
    ['pfn 0x40000', 'Beyond this map'],
  ])('%j is refused (%s)', (text, why) => {
    const r = parseGoto(text, FRAMES);
    expect('error' in r && r.error).toContain(why);
  });
});
