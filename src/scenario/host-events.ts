/**
 * Host-cause events and host boot options in a scenario (the contract of issue 17: these names
 * are fixed so that links, docs and tests agree). Each op takes exactly the fields below; the
 * schema checks each field's type, this file what each op needs:
 *
 *   bpf-load {count}   bpf-unload {count}   module-load {name, size}   module-unload {name}
 *   kprobe {count}     secretmem {size}     secretmem-free {size}      hwpoison {pfn}
 *   unpoison {pfn}     gpu-wc {size}        gpu-wb {size}              page-cache {size}
 *   page-cache-drop {size}                  hot-add {start, size}      hot-remove {start, size}
 *   recorded-call {call, pfn, count, caller}  (a fracture-record.sh --trace call, replayed)
 *
 * Host boot options: `boot` ("booted" | "bare"), `kfence`, `debug_pagealloc` (and `gbpages`).
 */
import * as v from 'valibot';
import { isRecordedCall, RECORDED_CALLS } from '../machine/causes/recorded';
import { HOST_OPS, type HostOp } from '../machine/events';
import { scenarioError } from './errors';
import type { ScenarioError } from './types';
import { canonicalAddr, canonicalSize } from './values';

export const MAX_COUNT = 1_000_000;
export const BOOT_MODES = ['booted', 'bare'] as const;
export type BootMode = (typeof BOOT_MODES)[number];
/** What an absent host.boot compiles to (compile.ts). */
export const BOOT_DEFAULT: BootMode = 'booted';

type Field = 'count' | 'name' | 'size' | 'pfn' | 'start' | 'call' | 'caller';
const FIELDS: readonly Field[] = ['count', 'name', 'size', 'pfn', 'start', 'call', 'caller'];

/** The fields each host op takes (all required). */
export const HOST_EVENT_FIELDS: Readonly<Record<HostOp, readonly Field[]>> = {
  'bpf-load': ['count'],
  'bpf-unload': ['count'],
  'module-load': ['name', 'size'],
  'module-unload': ['name'],
  kprobe: ['count'],
  secretmem: ['size'],
  'secretmem-free': ['size'],
  hwpoison: ['pfn'],
  unpoison: ['pfn'],
  'gpu-wc': ['size'],
  'gpu-wb': ['size'],
  'page-cache': ['size'],
  'page-cache-drop': ['size'],
  'hot-add': ['start', 'size'],
  'hot-remove': ['start', 'size'],
  'recorded-call': ['call', 'pfn', 'count', 'caller'],
};

const ALLOWED: Record<Field, string> = {
  count: `a whole number 1..${MAX_COUNT.toLocaleString('en-US')}`,
  name: 'a module name such as "kvm_amd"',
  size: 'a size such as "2M", "64K" or "1G" (a multiple of 4K)',
  pfn: 'a host frame number such as "0x1f000"',
  start: 'a 2M-aligned physical address such as "0x240000000"',
  call: `one of ${RECORDED_CALLS.map((c) => `"${c}"`).join(', ')}`,
  caller:
    'the top stack frame as recorded, such as "bpf_prog_pack_alloc" or "kvm_vcpu_ioctl [kvm]"',
};

/** Schema pieces for the extra event fields (hooked into EventSchema). */
export const hostEventEntries = {
  count: v.exactOptional(
    v.pipe(
      v.number(ALLOWED.count),
      v.integer(ALLOWED.count),
      v.minValue(1, ALLOWED.count),
      v.maxValue(MAX_COUNT, `too large: at most ${MAX_COUNT}`),
    ),
  ),
  name: v.exactOptional(
    v.pipe(v.string(ALLOWED.name), v.regex(/^[A-Za-z0-9_-]{1,64}$/, ALLOWED.name)),
  ),
  call: v.exactOptional(v.string(ALLOWED.call)),
  caller: v.exactOptional(
    v.pipe(
      v.string(ALLOWED.caller),
      v.minLength(1, ALLOWED.caller),
      v.maxLength(200, 'too long: at most 200 characters'),
    ),
  ),
};

/** Schema pieces for the host boot options. */
export const hostBootEntries = {
  boot: v.exactOptional(v.picklist(BOOT_MODES, 'one of "booted", "bare"')),
  kfence: v.optional(v.boolean('true or false'), true),
  debug_pagealloc: v.optional(v.boolean('true or false'), false),
  gfpUnmapped: v.optional(v.boolean('true or false'), false),
};

interface RawHostEvent {
  op: string;
  guest?: unknown;
  gpa?: number;
  pfn?: number;
  size?: number;
  count?: number;
  name?: string;
  start?: number;
  call?: string;
  caller?: string;
}

/** What a host op needs: missing fields, fields it does not take, sizes and addresses. */
export function checkHostEvent(
  e: RawHostEvent,
  i: number,
  hostEnd: number,
  out: ScenarioError[],
  warnings: string[],
): void {
  const at = `events[${i}]`;
  const op = e.op as HostOp;
  const need = HOST_EVENT_FIELDS[op];
  for (const f of need)
    if (e[f] === undefined) out.push(scenarioError(`${at}.${f}`, undefined, ALLOWED[f]));
  for (const f of FIELDS)
    if (e[f] !== undefined && !need.includes(f))
      warnings.push(`${at}.${f}: ${op} takes ${need.join(', ')}; ignored`);
  if (e.guest !== undefined || e.gpa !== undefined)
    warnings.push(`${at}: ${op} is a host event and takes no guest or gpa; ignored`);
  // A module is any number of bytes (its pages are rounded up); buffers and caches are pages.
  const pages = op === 'module-load' ? e.size !== 0 : e.size !== 0 && (e.size ?? 0) % 4096 === 0;
  if (e.size !== undefined && need.includes('size') && !pages)
    out.push(
      scenarioError(
        `${at}.size`,
        canonicalSize(e.size),
        op === 'module-load' ? 'a size above 0 such as "150K"' : ALLOWED.size,
      ),
    );
  if (e.pfn !== undefined && need.includes('pfn') && e.pfn * 4096 >= hostEnd)
    out.push(
      scenarioError(
        `${at}.pfn`,
        canonicalAddr(e.pfn),
        `a host frame below ${canonicalAddr(hostEnd / 4096)}`,
      ),
    );
  if (e.call !== undefined && need.includes('call') && !isRecordedCall(e.call))
    out.push(scenarioError(`${at}.call`, e.call, ALLOWED.call));
  if (e.start !== undefined && need.includes('start') && e.start % (2 * 1024 * 1024) !== 0)
    out.push(scenarioError(`${at}.start`, canonicalAddr(e.start), ALLOWED.start));
}

export const isHostEventOp = (op: string): boolean => (HOST_OPS as readonly string[]).includes(op);
