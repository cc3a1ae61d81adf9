/**
 * Rules that relate fields to each other, run after the schema has checked each field alone.
 * Errors use the same path / value / allowed shape as schema errors; warnings are for things that
 * are legal but probably not meant (unknown fields, an overcommitted host).
 */
import { normalizeRanges } from '../machine/boot-layout';
import { typicalE820 } from '../machine/e820';
import { noDirectMapRefusal } from '../machine/kernels/caps';
import { GiB, PMD_SIZE } from '../machine/units';
import { scenarioError, tooLarge } from './errors';
import { checkHostEvent, isHostEventOp } from './host-events';
import type { RawScenario } from './schema';
import { defaultKernelBytes, LIMITS, type ScenarioError } from './types';
import { canonicalAddr, canonicalSize } from './values';

type RawGuest = RawScenario['guests'][number];
type RawEvent = RawScenario['events'][number];

export interface CheckResult {
  errors: ScenarioError[];
  warnings: string[];
}

/** Total usable bytes and the highest end address of a host (ram as a typical e820, or merged ranges). */
export function hostExtent(host: RawScenario['host']): { totalBytes: number; maxEnd: number } {
  const raw =
    host.ram !== undefined
      ? typicalE820(host.ram)
      : (host.ranges ?? []).map(([start, end]) => ({ start, end }));
  const merged = normalizeRanges(raw);
  // `ram` is what the user said the host has (the e820 holes below 1 MiB are not counted off).
  let totalBytes = host.ram ?? 0;
  if (host.ram === undefined) for (const r of merged) totalBytes += r.end - r.start;
  return { totalBytes, maxEnd: merged.length > 0 ? (merged[merged.length - 1]?.end ?? 0) : 0 };
}

export function checkScenario(raw: RawScenario): CheckResult {
  const out: CheckResult = { errors: [], warnings: [] };
  const hostOk = checkHost(raw, out);
  const extent = hostExtent(raw.host);
  if (hostOk) checkGuests(raw, extent.totalBytes, out);
  checkWorkload(raw, out);
  const names = new Map(raw.guests.map((g, i) => [g.name, i]));
  raw.events.forEach((e, i) => {
    checkEvent(e, i, raw.guests, names, extent.maxEnd, out);
  });
  const maxStep = (raw.workload?.steps ?? 0) + raw.events.length;
  raw.captions.forEach((c, i) => {
    if (c.step > maxStep) {
      out.errors.push(scenarioError(`captions[${i}].step`, c.step, `a step 0..${maxStep}`));
    }
  });
  return out;
}

function checkHost(raw: RawScenario, out: CheckResult): boolean {
  const h = raw.host;
  if ((h.ram === undefined) === (h.ranges === undefined)) {
    const found = h.ram === undefined ? undefined : 'both "ram" and "ranges"';
    out.errors.push(
      scenarioError('host.ram', found, 'exactly one of "ram" (such as "64G") or "ranges"'),
    );
    return false;
  }
  const minRam = canonicalSize(LIMITS.minHostRamBytes);
  if (h.ram !== undefined && (h.ram < LIMITS.minHostRamBytes || h.ram % 4096 !== 0)) {
    out.errors.push(
      scenarioError('host.ram', canonicalSize(h.ram), `a multiple of 4K, ≥ ${minRam}`),
    );
    return false;
  }
  let ok = true;
  (h.ranges ?? []).forEach(([start, end], i) => {
    if (end <= start) {
      const found = [canonicalAddr(start), canonicalAddr(end)];
      out.errors.push(scenarioError(`host.ranges[${i}]`, found, 'start < end (end exclusive)'));
      ok = false;
    }
  });
  if (!ok) return false;
  const { totalBytes } = hostExtent(h);
  if (totalBytes < LIMITS.minHostRamBytes) {
    const found = `${canonicalSize(totalBytes)} usable`;
    out.errors.push(scenarioError('host.ranges', found, `at least ${minRam} of whole 4K pages`));
    return false;
  }
  if (h.kernelMemory !== undefined && h.kernelMemory > totalBytes / 2) {
    const limit = `half of host RAM (${canonicalSize(Math.floor(totalBytes / 2))})`;
    out.errors.push(tooLarge('host.kernelMemory', canonicalSize(h.kernelMemory), limit));
  }
  return true;
}

function checkGuests(raw: RawScenario, hostBytes: number, out: CheckResult): void {
  const seen = new Set<string>();
  let sum = 0;
  raw.guests.forEach((g, i) => {
    const at = `guests[${i}]`;
    if (seen.has(g.name)) {
      out.errors.push(scenarioError(`${at}.name`, g.name, 'a name no other guest uses'));
    }
    seen.add(g.name);
    sum += g.memory;
    checkNoDirectMap(raw, g, at, out);
    const mem = canonicalSize(g.memory);
    if (g.memory > hostBytes) {
      out.errors.push(tooLarge(`${at}.memory`, mem, `host RAM (${canonicalSize(hostBytes)})`));
    } else if (g.memory < LIMITS.minGuestBytes || g.memory % 4096 !== 0) {
      out.errors.push(scenarioError(`${at}.memory`, mem, 'a multiple of 4K, at least 2M'));
    } else {
      const align =
        g.backing === 'hugetlbfs-2m' ? PMD_SIZE : g.backing === 'hugetlbfs-1g' ? GiB : 0;
      if (align > 0 && g.memory % align !== 0) {
        // QEMU refuses a memory backend whose size is not a multiple of its page size.
        const allowed = `"4k" or "thp" for ${mem} of memory (${g.backing} needs a multiple of ${canonicalSize(align)})`;
        out.errors.push(scenarioError(`${at}.backing`, g.backing, allowed));
      }
    }
  });
  const kernel = raw.host.kernelMemory ?? defaultKernelBytes(hostBytes);
  if (sum > hostBytes - kernel) {
    out.warnings.push(
      `guests: ${canonicalSize(sum)} of guest memory on ${canonicalSize(hostBytes)} of host RAM ` +
        `(${canonicalSize(kernel)} used by the host kernel): launches may fail for lack of memory`,
    );
  }
}

/**
 * gmemNoDirectMap (proposal): the kernel design says which VM types may have it (caps.ts: not an
 * SNP guest of an SNP design); its memory is guest_memfd's 4K folios, whatever the backing says.
 */
function checkNoDirectMap(raw: RawScenario, g: RawGuest, at: string, out: CheckResult): void {
  if (!g.gmemNoDirectMap) return;
  const refusal = noDirectMapRefusal(raw.kernel, g.snp);
  if (refusal !== null) {
    out.errors.push(
      scenarioError(`${at}.gmemNoDirectMap`, true, `${refusal} (kernel "${raw.kernel}")`),
    );
  } else if (g.backing !== '4k') {
    out.warnings.push(
      `${at}.backing: a gmemNoDirectMap guest's memory is guest_memfd (4K folios); "${g.backing}" is ignored`,
    );
  }
}

function checkWorkload(raw: RawScenario, out: CheckResult): void {
  const w = raw.workload;
  if (w === undefined) return;
  const seen = new Set<string>();
  w.profiles.forEach((p, i) => {
    if (seen.has(p.profile)) {
      out.errors.push(
        scenarioError(`workload.profiles[${i}].profile`, p.profile, 'each profile at most once'),
      );
    }
    seen.add(p.profile);
  });
  if (w.steps + raw.events.length > LIMITS.events) {
    const limit = `${LIMITS.events - raw.events.length} (10,000,000 events in all, with the explicit ones)`;
    out.errors.push(tooLarge('workload.steps', w.steps, limit));
  }
  const hostRuns = w.profiles.some((p) =>
    ['bpf-host', 'gpu-host', 'fleet-errors'].includes(p.profile),
  );
  if (raw.guests.length === 0 && !hostRuns)
    out.warnings.push('workload: there are no guests to run it on');
}

const GPA_OPS = new Set(['accept', 'share', 'unshare', 'hv-write']);

function checkEvent(
  e: RawEvent,
  i: number,
  guests: readonly RawGuest[],
  names: Map<string, number>,
  hostEnd: number,
  out: CheckResult,
): void {
  const at = `events[${i}]`;
  const err = (field: string, value: unknown, allowed: string) =>
    out.errors.push(scenarioError(`${at}.${field}`, value, allowed));
  if (isHostEventOp(e.op)) return checkHostEvent(e, i, hostEnd, out.errors, out.warnings);
  const size = e.size ?? 4096;
  if (e.size !== undefined && (size === 0 || size % 4096 !== 0)) {
    err('size', canonicalSize(size), 'a multiple of 4K such as "4K", "2M" or "1G"');
  }
  if (e.via !== undefined && e.op !== 'hv-write') {
    out.warnings.push(`${at}.via: only hv-write uses "via"; ignored for ${e.op}`);
  }
  if (e.op === 'host-write') {
    if (e.gpa !== undefined) err('gpa', canonicalAddr(e.gpa), 'absent: host-write takes a pfn');
    if (e.pfn === undefined) err('pfn', undefined, 'a host frame number such as "0x1f000"');
    else if (e.pfn * 4096 + size > hostEnd) {
      const last = Math.max(0, Math.floor((hostEnd - size) / 4096));
      err('pfn', canonicalAddr(e.pfn), `a host frame 0x0..${canonicalAddr(last)}`);
    }
    return;
  }
  const g = resolveGuest(e.guest, guests, names);
  if (g === undefined) {
    const known = guests.length === 0 ? 'none: add a guest first' : guestList(guests);
    err('guest', e.guest, `a guest name or index (${known})`);
    return;
  }
  if (e.pfn !== undefined) err('pfn', canonicalAddr(e.pfn), `absent: ${e.op} takes a gpa`);
  if (!GPA_OPS.has(e.op)) {
    if (e.gpa !== undefined || e.size !== undefined) {
      out.warnings.push(`${at}: ${e.op} takes no gpa or size; ignored`);
    }
    return;
  }
  const mem = guests[g]?.memory ?? 0;
  if (e.gpa === undefined) {
    err('gpa', undefined, 'a guest physical address such as "0x200000"');
  } else if (e.gpa % 4096 !== 0) {
    err('gpa', canonicalAddr(e.gpa), 'a 4K-aligned address');
  } else if (e.gpa + size > mem) {
    err(
      'gpa',
      canonicalAddr(e.gpa),
      `a range inside the guest's memory [0x0, ${canonicalAddr(mem)})`,
    );
  }
}

export function resolveGuest(
  ref: string | number | undefined,
  guests: readonly { name: string }[],
  names: Map<string, number>,
): number | undefined {
  if (typeof ref === 'number') return ref < guests.length ? ref : undefined;
  if (typeof ref === 'string') return names.get(ref);
  return undefined;
}

function guestList(guests: readonly RawGuest[]): string {
  const shown = guests.slice(0, 4).map((g) => `"${g.name}"`);
  if (guests.length > 4) shown.push('...');
  return `${shown.join(', ')} or 0..${guests.length - 1}`;
}

const KNOWN: Record<string, readonly string[]> = {
  '': [
    'version',
    'title',
    'description',
    'host',
    'kernel',
    'guests',
    'workload',
    'events',
    'captions',
  ],
  host: [
    'ram',
    'ranges',
    'gbpages',
    'allocator',
    'kernelMemory',
    'seed',
    'linux',
    'la57',
    'cpu',
    'boot',
    'kfence',
    'debug_pagealloc',
    'gfpUnmapped',
  ],
  cpu: ['hvInUseWrAllowed'],
  guest: ['name', 'memory', 'vcpus', 'backing', 'snp', 'gmemNoDirectMap'],
  workload: ['seed', 'steps', 'profiles'],
  profile: ['profile', 'weight'],
  event: ['op', 'guest', 'gpa', 'pfn', 'size', 'via', 'count', 'name', 'start', 'call', 'caller'],
  caption: ['step', 'text'],
};

/** "unknown field" warnings; the schema drops such fields (reported, never silent). */
export function unknownKeyWarnings(value: unknown): string[] {
  const out: string[] = [];
  const visit = (obj: unknown, kind: string, path: string) => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
    const known = KNOWN[kind] ?? [];
    for (const key of Object.keys(obj)) {
      if (!known.includes(key) && out.length < 50) {
        out.push(`${path === '' ? '' : `${path}.`}${key}: unknown field, ignored`);
      }
    }
  };
  const list = (obj: unknown, key: string, kind: string, prefix: string) => {
    const items =
      obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined;
    if (!Array.isArray(items)) return;
    for (let i = 0; i < items.length && out.length < 50; i++)
      visit(items[i], kind, `${prefix}${key}[${i}]`);
  };
  visit(value, '', '');
  const o = (value ?? {}) as Record<string, unknown>;
  visit(o.host, 'host', 'host');
  if (o.host !== null && typeof o.host === 'object')
    visit((o.host as Record<string, unknown>).cpu, 'cpu', 'host.cpu');
  visit(o.workload, 'workload', 'workload');
  list(o, 'guests', 'guest', '');
  list(o, 'events', 'event', '');
  list(o, 'captions', 'caption', '');
  list(o.workload, 'profiles', 'profile', 'workload.');
  return out;
}
