/**
 * SEV-SNP host messages from dmesg: the RMP-violation oops and the RMP entry dumps.
 *
 * Sources:
 * - show_fault_oops() (arch/x86/mm/fault.c): "BUG: unable to handle page fault for address: %px",
 *   "#PF: %s %s in %s mode", "#PF: error_code(0x%04lx) - RMP violation" (X86_PF_RMP = bit 31),
 *   then dump_pagetable(): "PGD %lx P4D %lx PUD %lx PMD %lx PTE %lx", stopping at a large leaf,
 *   then snp_dump_hva_rmpentry().
 * - dump_rmpentry() (arch/x86/virt/svm/sev.c, pr_fmt "SEV-SNP: "):
 *   "PFN 0x%llx, RMP entry: [0x%016llx - 0x%016llx]" for an assigned PFN, else
 *   "PFN 0x%llx unassigned, dumping non-zero entries in 2M PFN region: [0x%llx - 0x%llx]" and one
 *   "PFN: 0x%llx, [0x%016llx - 0x%016llx]" per non-zero entry of the region.
 * - rmpupdate(): "RMPUPDATE failed for PFN %llx, pg_level: %d, ret: %d" (PFN without 0x);
 *   adjust_direct_map(): "Failed to split direct map for PFN 0x%llx, ret: %d".
 * - struct rmpentry_raw (Zen 3/4, PPR 19h): bit 0 assigned, 1 pagesize (1 = 2M), 2 immutable,
 *   12..50 GPA frame, 51..60 ASID, 61 VMSA, 62 validated. Decoded with BigInt: the fields sit above
 *   bit 31, where JS bitwise operators would truncate.
 */
import { PAGE_OFFSET_L4 } from '../ptdump';
import { fail, kernelLines, type Parsed, parseHex } from './common';

export interface RmpEntry {
  pfn: number;
  assigned: boolean;
  pagesize: '4K' | '2M';
  immutable: boolean;
  gpa: number;
  asid: number;
  vmsa: boolean;
  validated: boolean;
}

export interface RmpFault {
  line: number;
  errorCode: number;
  write: boolean;
  user: boolean;
  /** Faulting virtual address, when the BUG line was included. */
  address: bigint | null;
  /** Host PFN of the address when it lies in the direct map. */
  pfn: number | null;
  /** Size of the host mapping the write went through, from dump_pagetable(). */
  mapping: '4K' | '2M' | '1G' | null;
}

export interface SnpImport {
  entries: RmpEntry[];
  /** Raw words as printed, per entry, for display. */
  raw: { pfn: number; lo: string; hi: string }[];
  fault: RmpFault | null;
  /** PFN reported unassigned by dump_rmpentry(), with its 2M PFN region. */
  unassigned: { pfn: number; regionStart: number; regionEnd: number } | null;
  rmpupdateFailures: { pfn: number; pgLevel: number; ret: number; meaning: string }[];
  splitFailures: { pfn: number; ret: number }[];
  /** 2 MiB regions to highlight on the map, as PFN ranges [start, end). */
  regions: { pfnStart: number; pfnEnd: number }[];
  explanation: string[];
}

const X = '([0-9a-fA-F]{1,16})';
const RE = {
  bug: new RegExp(`^BUG: unable to handle page fault for address: (?:0x)?${X}$`),
  access:
    /^#PF: (supervisor|user) (write access|read access|instruction fetch) in (user|kernel) mode$/,
  code: new RegExp(`^#PF: error_code\\(0x${X}\\) - (.{1,40})$`),
  walk: /^PGD [0-9a-fA-F]{1,16}(?: |$)/,
  entry: new RegExp(`^SEV-SNP: PFN 0x${X}, RMP entry: \\[0x${X} - 0x${X}\\]$`),
  unassigned: new RegExp(
    `^SEV-SNP: PFN 0x${X} unassigned, dumping non-zero entries in 2M PFN region: \\[0x${X} - 0x${X}\\]$`,
  ),
  regionEntry: new RegExp(`^SEV-SNP: PFN: 0x${X}, \\[0x${X} - 0x${X}\\]$`),
  rmpupdate: new RegExp(
    `^SEV-SNP: RMPUPDATE failed for PFN ${X}, pg_level: ([12]), ret: (-?\\d{1,10})$`,
  ),
  split: new RegExp(`^SEV-SNP: Failed to split direct map for PFN 0x${X}, ret: (-?\\d{1,10})$`),
};

/** RMPUPDATE return codes (APM vol. 3; RMPUPDATE_FAIL_OVERLAP in asm/sev.h). */
const RMPUPDATE_RET: Record<number, string> = {
  1: 'FAIL_INPUT: invalid input (address or page size)',
  2: 'FAIL_PERMISSION: the page is not in a state that allows the change (e.g. immutable, firmware-owned)',
  3: 'FAIL_INUSE: a 2M update over a region whose 4K entries are not all unassigned',
  4: 'FAIL_OVERLAP: a 4K entry overlaps a 2M entry (the kernel retries)',
};

const bit = (v: bigint, n: number) => ((v >> BigInt(n)) & 1n) === 1n;
const field = (v: bigint, shift: number, width: number) =>
  (v >> BigInt(shift)) & ((1n << BigInt(width)) - 1n);

/** struct rmpentry_raw, low word (Zen 3/4 layout). */
export function decodeRmpEntry(pfn: bigint, lo: bigint): RmpEntry {
  return {
    pfn: Number(pfn),
    assigned: bit(lo, 0),
    pagesize: bit(lo, 1) ? '2M' : '4K',
    immutable: bit(lo, 2),
    gpa: Number(field(lo, 12, 39) << 12n),
    asid: Number(field(lo, 51, 10)),
    vmsa: bit(lo, 61),
    validated: bit(lo, 62),
  };
}

export interface SnpImportOptions {
  pageOffsetBase?: bigint;
}

export function parseSnp(text: string, opts: SnpImportOptions = {}): Parsed<SnpImport> {
  const { lines } = kernelLines(text);
  const out: SnpImport = {
    entries: [],
    raw: [],
    fault: null,
    unassigned: null,
    rmpupdateFailures: [],
    splitFailures: [],
    regions: [],
    explanation: [],
  };
  let address = null as bigint | null;
  let access: RegExpExecArray | null = null as RegExpExecArray | null;
  let mapping = null as RmpFault['mapping'];
  const addEntry = (pfnHex: string, loHex: string, hiHex: string) => {
    const pfn = parseHex(pfnHex);
    const lo = parseHex(loHex);
    const hi = parseHex(hiHex);
    if (pfn === null || lo === null || hi === null) return;
    out.entries.push(decodeRmpEntry(pfn, lo));
    out.raw.push({ pfn: Number(pfn), lo: `0x${loHex}`, hi: `0x${hiHex}` });
  };
  const hexNum = (h: string) => Number(parseHex(h) ?? 0n);
  let lineNo = 0;
  const handlers: [RegExp, (m: RegExpExecArray) => void][] = [
    [RE.bug, (m) => (address = parseHex(m[1]!))],
    [RE.access, (m) => (access = m)],
    [
      RE.code,
      (m) => {
        const code = parseHex(m[1]!) ?? 0n;
        if (!bit(code, 31)) return;
        const user = bit(code, 2);
        out.fault = {
          line: lineNo,
          errorCode: Number(code),
          write: bit(code, 1),
          user,
          address,
          pfn: null,
          mapping: null,
        };
      },
    ],
    [RE.walk, (m) => (mapping = mappingOfWalk(m.input))],
    [RE.entry, (m) => addEntry(m[1]!, m[2]!, m[3]!)],
    [RE.regionEntry, (m) => addEntry(m[1]!, m[2]!, m[3]!)],
    [
      RE.unassigned,
      (m) => {
        out.unassigned = {
          pfn: hexNum(m[1]!),
          regionStart: hexNum(m[2]!),
          regionEnd: hexNum(m[3]!),
        };
      },
    ],
    [
      RE.rmpupdate,
      (m) => {
        const ret = Number(m[3]);
        const meaning = RMPUPDATE_RET[ret] ?? `return code ${ret}`;
        out.rmpupdateFailures.push({ pfn: hexNum(m[1]!), pgLevel: Number(m[2]), ret, meaning });
      },
    ],
    [RE.split, (m) => out.splitFailures.push({ pfn: hexNum(m[1]!), ret: Number(m[2]) })],
  ];
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i]!.trim();
    lineNo = i + 1;
    let matched = false;
    for (const [re, handle] of handlers) {
      const m = re.exec(s);
      if (m) {
        handle(m);
        matched = true;
        break;
      }
    }
    const bad = matched ? null : malformedSnpLine(s);
    if (bad) return fail(lineNo, bad, SNP_EXPECTED);
  }
  const found =
    out.fault ||
    out.entries.length ||
    out.unassigned ||
    out.rmpupdateFailures.length ||
    out.splitFailures.length;
  if (!found) {
    return fail(
      0,
      'no SEV-SNP host messages found',
      '"#PF: error_code(0x80000003) - RMP violation" or "SEV-SNP: PFN 0x..., RMP entry: [...]"',
    );
  }
  if (out.fault) {
    out.fault.write = out.fault.write || access?.[2] === 'write access';
    out.fault.mapping = mapping;
    out.fault.pfn = directMapPfn(out.fault.address, opts.pageOffsetBase ?? PAGE_OFFSET_L4);
  }
  out.regions = regionsOf(out);
  out.explanation = explain(out);
  return { ok: true, value: out, warnings: [] };
}

const SNP_EXPECTED =
  'the kernel\'s own SEV-SNP lines: "SEV-SNP: PFN 0x<pfn>, RMP entry: [0x<16 hex> - 0x<16 hex>]", "SEV-SNP: RMPUPDATE failed for PFN <hex>, pg_level: <1|2>, ret: <n>", "#PF: error_code(0x<hex>) - RMP violation"';
/** Starts of the lines that dump_rmpentry(), rmpupdate() and show_fault_oops() print. */
const SNP_STARTS = [
  'SEV-SNP: PFN',
  'SEV-SNP: RMPUPDATE failed',
  'SEV-SNP: Failed to split direct map',
  '#PF: error_code(',
];

/**
 * A line that begins like an SEV-SNP message but does not parse (a non-hex PFN, a cut-off entry, a
 * page level the RMP does not have) is named rather than skipped: skipping it would explain a
 * different fault. rmpupdate() prints pg_level as PG_LEVEL_4K (1) or PG_LEVEL_2M (2).
 */
function malformedSnpLine(s: string): string | null {
  if (!SNP_STARTS.some((p) => s.startsWith(p))) return null;
  return `malformed SEV-SNP line "${s.slice(0, 80)}"`;
}

/** dump_pagetable() stops at a present large leaf: bit 7 (PSE) of the last PUD or PMD printed. */
function mappingOfWalk(s: string): RmpFault['mapping'] {
  const words = s.split(/\s+/);
  const val = (name: string) => {
    const i = words.indexOf(name);
    return i >= 0 ? parseHex(words[i + 1] ?? '') : null;
  };
  if (val('PTE') !== null) return '4K';
  const pmd = val('PMD');
  if (pmd !== null) return bit(pmd, 7) ? '2M' : null;
  const pud = val('PUD');
  if (pud !== null) return bit(pud, 7) ? '1G' : null;
  return null;
}

function directMapPfn(address: bigint | null, base: bigint): number | null {
  if (address === null || address < base || address >= base + (1n << 46n)) return null;
  return Number((address - base) >> 12n);
}

function regionsOf(s: SnpImport): SnpImport['regions'] {
  const pfns = [
    s.fault?.pfn ?? null,
    s.unassigned?.pfn ?? null,
    ...s.entries.map((e) => e.pfn),
    ...s.rmpupdateFailures.map((f) => f.pfn),
    ...s.splitFailures.map((f) => f.pfn),
  ];
  const starts = new Set<number>();
  for (const p of pfns) if (p !== null) starts.add(p - (p % 512));
  return [...starts].sort((a, b) => a - b).map((p) => ({ pfnStart: p, pfnEnd: p + 512 }));
}

const hexN = (n: number) => `0x${n.toString(16)}`;

function describeEntry(e: RmpEntry): string {
  if (!e.assigned)
    return `PFN ${hexN(e.pfn)}: host-owned (not assigned)${e.immutable ? ', immutable' : ''}`;
  return (
    `PFN ${hexN(e.pfn)}: assigned to ASID ${e.asid} at GPA ${hexN(e.gpa)}, ${e.pagesize} entry` +
    `${e.validated ? ', validated by the guest' : ', not yet validated'}${e.immutable ? ', immutable' : ''}` +
    `${e.vmsa ? ', a VMSA page' : ''}`
  );
}

function explain(s: SnpImport): string[] {
  const out: string[] = [];
  const f = s.fault;
  if (f) {
    const who = f.user ? 'a user-space' : 'a kernel';
    const via = f.mapping ? ` through a ${f.mapping} mapping` : '';
    const where = f.pfn !== null ? ` of the direct map (PFN ${hexN(f.pfn)})` : '';
    out.push(
      `RMP violation: ${who} ${f.write ? 'write' : 'access'}${via} to an address${where} faulted with error code ` +
        `${hexN(f.errorCode)} (bit 31, X86_PF_RMP): the RMP table says the host may not write there.`,
    );
    if (!f.user)
      out.push('A kernel-mode RMP fault is an oops: the host kernel crashes or kills the task.');
  }
  if (s.unassigned) out.push(explainUnassigned(s, s.unassigned));
  for (const e of s.entries) out.push(describeEntry(e));
  for (const r of s.rmpupdateFailures) {
    out.push(
      `RMPUPDATE of PFN ${hexN(r.pfn)} at ${r.pgLevel === 2 ? '2M' : '4K'} failed: ${r.meaning}.`,
    );
  }
  for (const r of s.splitFailures) {
    out.push(
      `adjust_direct_map() could not split the direct map for PFN ${hexN(r.pfn)} (ret ${r.ret}); the RMPUPDATE was not done.`,
    );
  }
  return out;
}

function explainUnassigned(s: SnpImport, u: NonNullable<SnpImport['unassigned']>): string {
  const others = s.entries.filter((e) => e.assigned).length;
  const region = `[${hexN(u.regionStart)} - ${hexN(u.regionEnd)})`;
  if (others === 0) {
    return `PFN ${hexN(u.pfn)} belongs to the host and no entry of its 2 MiB region ${region} is set; the entry may have changed since.`;
  }
  const head = `PFN ${hexN(u.pfn)} itself belongs to the host, but ${others} page(s) of its 2 MiB region ${region} are assigned to a guest.`;
  if (s.fault && s.fault.mapping !== '4K') {
    return `${head} A host write through a 2M or 1G mapping is checked against the whole 2 MiB region, so the direct map had not been split to 4K here.`;
  }
  if (s.rmpupdateFailures.some((f) => f.pgLevel === 2)) {
    return `${head} A 2M RMP entry can only be made when all 512 entries of the region are unassigned.`;
  }
  return head;
}
