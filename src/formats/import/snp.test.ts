import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeRmpEntry, parseSnp } from './snp';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** A raw rmpentry_raw low word, built with BigInt field by field. */
function raw(f: {
  assigned?: 0n | 1n;
  size2m?: 0n | 1n;
  immutable?: 0n | 1n;
  gpa?: bigint;
  asid?: bigint;
  vmsa?: 0n | 1n;
  validated?: 0n | 1n;
}): bigint {
  return (
    (f.assigned ?? 0n) |
    ((f.size2m ?? 0n) << 1n) |
    ((f.immutable ?? 0n) << 2n) |
    ((f.gpa ?? 0n) & 0x7fffffffff000n) |
    ((f.asid ?? 0n) << 51n) |
    ((f.vmsa ?? 0n) << 61n) |
    ((f.validated ?? 0n) << 62n)
  );
}

describe('RMP entry decoding (struct rmpentry_raw, Zen 3/4)', () => {
  it.each([
    [
      'an empty entry',
      raw({}),
      {
        assigned: false,
        pagesize: '4K',
        immutable: false,
        gpa: 0,
        asid: 0,
        vmsa: false,
        validated: false,
      },
    ],
    [
      'a validated 4K guest page',
      raw({ assigned: 1n, gpa: 0x7f000n, asid: 5n, validated: 1n }),
      { assigned: true, pagesize: '4K', gpa: 0x7f000, asid: 5, validated: true },
    ],
    [
      'a 2M private page',
      raw({ assigned: 1n, size2m: 1n, gpa: 0x40000000n, asid: 7n, validated: 1n }),
      { pagesize: '2M', gpa: 0x40000000, asid: 7 },
    ],
    [
      'an immutable firmware page',
      raw({ assigned: 1n, immutable: 1n }),
      { assigned: true, immutable: true, asid: 0 },
    ],
    [
      'the highest ASID, a VMSA, a GPA at bit 50',
      raw({ assigned: 1n, gpa: (1n << 51n) - 4096n, asid: 1023n, vmsa: 1n }),
      { gpa: 2 ** 51 - 4096, asid: 1023, vmsa: true, validated: false },
    ],
    [
      'bit 63 (reserved) set',
      raw({ assigned: 1n }) | (1n << 63n),
      { assigned: true, asid: 0, vmsa: false, validated: false },
    ],
  ])('%s', (_name, lo, expected) => {
    expect(decodeRmpEntry(0x1a3c7fn, lo)).toMatchObject({ pfn: 0x1a3c7f, ...expected });
  });
});

describe('SEV-SNP host messages', () => {
  it('explains an RMP violation through a 2M direct-map mapping next to guest pages', () => {
    const r = parseSnp(fixture('dmesg-rmp-violation.txt'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.value;
    expect(s.fault).toMatchObject({
      errorCode: 0x80000003,
      write: true,
      user: false,
      pfn: 0x1a3c45,
      mapping: '2M',
    });
    expect(s.unassigned).toEqual({ pfn: 0x1a3c45, regionStart: 0x1a3c00, regionEnd: 0x1a3e00 });
    expect(s.entries).toEqual([
      {
        pfn: 0x1a3c7f,
        assigned: true,
        pagesize: '4K',
        immutable: false,
        gpa: 0x7f000,
        asid: 5,
        vmsa: false,
        validated: true,
      },
      {
        pfn: 0x1a3c80,
        assigned: true,
        pagesize: '4K',
        immutable: false,
        gpa: 0x80000,
        asid: 5,
        vmsa: false,
        validated: true,
      },
    ]);
    expect(s.regions).toEqual([{ pfnStart: 0x1a3c00, pfnEnd: 0x1a3e00 }]);
    expect(s.explanation.join(' ')).toMatch(
      /2 page\(s\) of its 2 MiB region .* not been split to 4K/,
    );
  });

  it('reads an RMPUPDATE failure and names the return code', () => {
    const r = parseSnp(fixture('dmesg-rmpupdate-failed.txt'));
    expect(r.ok && r.value.rmpupdateFailures).toEqual([
      { pfn: 0x1f2a00, pgLevel: 2, ret: 3, meaning: expect.stringMatching(/FAIL_INUSE/) },
    ]);
    expect(r.ok && r.value.entries[0]).toMatchObject({
      pfn: 0x1f2a05,
      asid: 1023,
      vmsa: true,
      gpa: 0x7ffff7e05000,
    });
  });

  it('reads an assigned-PFN dump and a failed direct-map split', () => {
    const text =
      'SEV-SNP: PFN 0x2b3c4d, RMP entry: [0x4038000040000003 - 0x0000000000000000]\n' +
      'SEV-SNP: Failed to split direct map for PFN 0x2b3c4d, ret: -12\n';
    const r = parseSnp(text);
    expect(r.ok && r.value.entries[0]).toMatchObject({ pfn: 0x2b3c4d, pagesize: '2M', asid: 7 });
    expect(r.ok && r.value.splitFailures).toEqual([{ pfn: 0x2b3c4d, ret: -12 }]);
  });

  it('reports text with no SNP messages as an error', () => {
    expect(parseSnp('hello\n').ok).toBe(false);
  });
});
