/**
 * Scenario format version 2, validated at the edge with valibot. parseScenario() never throws:
 * it returns the scenario with defaults filled in, or errors that each name the path, the value
 * found and what is allowed. Structure and types are checked here; rules that relate fields to
 * each other (a guest larger than the host, an event outside its guest) live in checks.ts.
 */
import * as v from 'valibot';
import { BACKINGS, KERNEL_DESIGNS } from '../machine/events';
import { checkScenario, unknownKeyWarnings } from './checks';
import { depthError } from './depth';
import { formatPath, scenarioError, showValue, tooLarge } from './errors';
import { hostBootEntries, hostEventEntries } from './host-events';
import { eraLinux, la57Field, linuxField, linuxWarning } from './host-linux';
import { migrateToCurrent } from './migrate';
import {
  ALLOCATORS,
  DEFAULTS,
  EVENT_OPS,
  LIMITS,
  PROFILE_NAMES,
  SCENARIO_VERSION,
  type Scenario,
  type ScenarioError,
  VIAS,
  type WorkloadProfile,
} from './types';
import { canonicalAddr, canonicalSize, toBytes, toFrame } from './values';

const oneOf = (options: readonly string[]) => `one of ${options.map((o) => `"${o}"`).join(', ')}`;

const A = {
  size: 'a size such as "64G", "2M", "4K", "0x1f000" or a byte count',
  addr: 'an address such as "0x200000", "2M" or a byte count',
  frame: 'a frame number such as "0x1f000" or 126976',
  int: (lo: number, hi: number) => `an integer ${lo}..${hi}`,
};

/** What a missing required field should have held, for the "missing" error line. */
export const REQUIRED: Record<string, string> = {
  version: `the number ${SCENARIO_VERSION}`,
  host: 'an object {ram | ranges, gbpages, allocator, kernelMemory, linux, la57}',
  name: 'a non-empty name',
  memory: A.size,
  vcpus: A.int(1, LIMITS.vcpus),
  backing: oneOf(BACKINGS),
  op: oneOf(EVENT_OPS),
  seed: A.int(0, 4294967295),
  steps: A.int(0, LIMITS.events),
  profiles: 'a list of {profile, weight}',
  profile: oneOf(PROFILE_NAMES),
  weight: `a number above 0, at most ${LIMITS.weight}`,
  step: 'a step number (0 is the host right after boot)',
  text: 'a string',
};

function bytes(allowed: string, max: number, maxText: string) {
  return v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const n = toBytes(dataset.value);
      if (n === null) {
        addIssue({ message: allowed });
        return NEVER;
      }
      if (n > max) {
        addIssue({ message: `too large: at most ${maxText}` });
        return NEVER;
      }
      return n;
    }),
  );
}

const frame = v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const n = toFrame(dataset.value);
    if (n === null) {
      addIssue({ message: A.frame });
      return NEVER;
    }
    return n;
  }),
);

const int = (lo: number, hi: number, what = A.int(lo, hi)) =>
  v.pipe(
    v.number(what),
    v.integer(what),
    v.minValue(lo, what),
    v.maxValue(hi, hi >= 1024 ? `too large: at most ${hi}` : what),
  );

const text = (max: number) =>
  v.pipe(v.string('a string'), v.maxLength(max, `too long: at most ${max} characters`));

const MAX_ADDR = canonicalSize(LIMITS.hostRamBytes);
const sizeField = bytes(A.size, LIMITS.hostRamBytes, MAX_ADDR);
const addrField = bytes(A.addr, LIMITS.hostRamBytes, MAX_ADDR);

const HostSchema = v.object(
  {
    ram: v.exactOptional(sizeField),
    ranges: v.exactOptional(
      v.array(
        v.tuple([addrField, addrField], 'a pair ["0xSTART", "0xEND"] (end exclusive)'),
        'a list of [start, end] pairs',
      ),
    ),
    gbpages: v.optional(v.boolean('true or false'), DEFAULTS.gbpages),
    allocator: v.optional(v.picklist(ALLOCATORS, oneOf(ALLOCATORS)), DEFAULTS.allocator),
    kernelMemory: v.exactOptional(sizeField),
    seed: v.exactOptional(int(0, 4294967295)),
    linux: linuxField,
    la57: la57Field,
    ...hostBootEntries,
    cpu: v.exactOptional(
      v.object(
        { hvInUseWrAllowed: v.optional(v.boolean('true or false'), false) },
        'an object {hvInUseWrAllowed}',
      ),
    ),
  },
  REQUIRED.host ?? '',
);

const GuestSchema = v.object(
  {
    name: v.pipe(
      v.string(REQUIRED.name ?? ''),
      v.minLength(1, 'a non-empty name'),
      v.maxLength(LIMITS.nameChars, `too long: at most ${LIMITS.nameChars} characters`),
    ),
    memory: sizeField,
    vcpus: int(1, LIMITS.vcpus),
    backing: v.picklist(BACKINGS, oneOf(BACKINGS)),
    snp: v.optional(v.boolean('true or false'), DEFAULTS.snp),
    gmemNoDirectMap: v.optional(v.boolean('true or false'), false),
  },
  'an object {name, memory, vcpus, backing, snp, gmemNoDirectMap}',
);

const WorkloadSchema = v.object(
  {
    seed: int(0, 4294967295),
    steps: int(0, LIMITS.events),
    profiles: v.pipe(
      v.array(
        v.object(
          {
            profile: v.picklist(PROFILE_NAMES, oneOf(PROFILE_NAMES)),
            weight: v.pipe(
              v.number(REQUIRED.weight ?? ''),
              v.gtValue(0, REQUIRED.weight ?? ''),
              v.maxValue(LIMITS.weight, `too large: at most ${LIMITS.weight}`),
            ),
          },
          'an object {profile, weight}',
        ),
        REQUIRED.profiles ?? '',
      ),
      v.minLength(1, 'at least one profile'),
    ),
  },
  'an object {seed, steps, profiles}',
);

const guestRef = v.union(
  [
    v.pipe(v.number(), v.integer(), v.minValue(0)),
    v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.nameChars)),
  ],
  'a guest name or index',
);

const EventSchema = v.object(
  {
    op: v.picklist(EVENT_OPS, oneOf(EVENT_OPS)),
    guest: v.exactOptional(guestRef),
    gpa: v.exactOptional(addrField),
    pfn: v.exactOptional(frame),
    size: v.exactOptional(sizeField),
    via: v.exactOptional(v.picklist(VIAS, oneOf(VIAS))),
    start: v.exactOptional(addrField),
    ...hostEventEntries,
  },
  'an object {op, guest, gpa | pfn, size, via} or a host event {op, count | name | size | pfn | start | call | caller}',
);

const CaptionSchema = v.object(
  { step: int(0, LIMITS.events, REQUIRED.step), text: text(LIMITS.captionChars) },
  'an object {step, text}',
);

export const ScenarioSchema = v.object(
  {
    version: v.literal(SCENARIO_VERSION, `the number ${SCENARIO_VERSION}`),
    title: v.exactOptional(text(LIMITS.titleChars)),
    description: v.exactOptional(text(LIMITS.descriptionChars)),
    host: HostSchema,
    kernel: v.optional(v.picklist(KERNEL_DESIGNS, oneOf(KERNEL_DESIGNS)), DEFAULTS.kernel),
    guests: v.optional(v.array(GuestSchema, 'a list of guests'), []),
    workload: v.exactOptional(WorkloadSchema),
    events: v.optional(v.array(EventSchema, 'a list of events'), []),
    captions: v.optional(v.array(CaptionSchema, 'a list of {step, text}'), []),
  },
  'a scenario object {version, host, kernel, guests, workload, events, captions}',
);

/** The schema's output: sizes and addresses already in bytes. */
export type RawScenario = v.InferOutput<typeof ScenarioSchema>;

export type ParseResult =
  | { ok: true; scenario: Scenario; warnings: string[] }
  | { ok: false; errors: ScenarioError[]; warnings: string[] };

/** Validate anything (parsed JSON, a migrated older scenario); never throws. */
export function parseScenario(input: unknown): ParseResult {
  try {
    return parseUnsafe(input);
  } catch (e) {
    // Only our own bug can land here; report it as a value rather than crash the caller.
    const error = scenarioError('(scenario)', input, `a valid scenario (internal error: ${e})`);
    return { ok: false, errors: [error], warnings: [] };
  }
}

function parseUnsafe(input: unknown): ParseResult {
  // Before anything that recurses (migration, valibot, showValue): see depth.ts.
  const deep = depthError(input);
  if (deep) return { ok: false, errors: [deep], warnings: [] };
  const migrated = migrateToCurrent(input);
  if (!migrated.ok) return { ok: false, errors: [migrated.error], warnings: [] };
  const warnings = [...migrated.notes];
  const value = withDefaultProfiles(migrated.value, warnings);
  const early = arrayLimitErrors(value);
  if (early.length > 0) return { ok: false, errors: early, warnings };
  warnings.push(...unknownKeyWarnings(value));
  const result = v.safeParse(ScenarioSchema, value);
  if (!result.success) {
    return { ok: false, errors: result.issues.map(issueToError), warnings };
  }
  const checked = checkScenario(result.output);
  warnings.push(...checked.warnings);
  const linuxNote = linuxWarning(result.output.host.linux ?? eraLinux(result.output.kernel));
  if (linuxNote !== null) warnings.push(linuxNote);
  if (checked.errors.length > 0) return { ok: false, errors: checked.errors, warnings };
  return { ok: true, scenario: buildScenario(result.output), warnings };
}

/**
 * The mix a workload without `profiles` runs: a guest boots (bootEvents(), its accept and share
 * sequence) and then does virtio I/O, the most common life of an SNP guest and the mix of the
 * virtio-churn preset.
 */
export const DEFAULT_PROFILES: readonly WorkloadProfile[] = [
  { profile: 'linux-boot', weight: 1 },
  { profile: 'virtio-io', weight: 1 },
];

/** A workload object without `profiles` gets DEFAULT_PROFILES, said in a warning; the input is not changed. */
function withDefaultProfiles(value: unknown, warnings: string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const o = value as Record<string, unknown>;
  const w = o.workload;
  if (w === null || typeof w !== 'object' || Array.isArray(w) || 'profiles' in w) return value;
  const mix = DEFAULT_PROFILES.map((p) => `${p.profile} (weight ${p.weight})`).join(' and ');
  warnings.push(`workload.profiles: missing; using the default mix ${mix}`);
  return { ...o, workload: { ...w, profiles: DEFAULT_PROFILES.map((p) => ({ ...p })) } };
}

/** Refuse oversized lists before validating each item (a link could carry millions). */
function arrayLimitErrors(value: unknown): ScenarioError[] {
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const host = o.host as Record<string, unknown> | undefined;
  const lists: [string, unknown, number, string][] = [
    ['guests', o.guests, LIMITS.guests, 'guests'],
    ['events', o.events, LIMITS.events, 'events'],
    ['captions', o.captions, LIMITS.captions, 'captions'],
    ['host.ranges', host && typeof host === 'object' ? host.ranges : undefined, 1024, 'ranges'],
  ];
  const errors: ScenarioError[] = [];
  for (const [path, list, max, what] of lists) {
    if (Array.isArray(list) && list.length > max) {
      errors.push(tooLarge(path, list, `${max.toLocaleString('en-US')} ${what}`));
    }
  }
  return errors;
}

function issueToError(issue: v.BaseIssue<unknown>): ScenarioError {
  const items = (issue.path ?? []).map((p) => p.key as string | number);
  const path = formatPath(items);
  const last = items[items.length - 1];
  const missing = issue.type === 'object' && issue.received === 'undefined' && items.length > 0;
  if (missing) return scenarioError(path, undefined, REQUIRED[String(last)] ?? 'a value');
  const error = scenarioError(path, issue.input, issue.message);
  return issue.message.startsWith('too large') || issue.message.startsWith('too long')
    ? { ...error, message: `${path}: ${showValue(issue.input)} is ${issue.message}` }
    : error;
}

/** Schema output → the canonical Scenario (sizes back to "2M" form, addresses to hex). */
export function buildScenario(raw: RawScenario): Scenario {
  const h = raw.host;
  const s: Scenario = {
    version: SCENARIO_VERSION,
    host: {
      ...(h.ram !== undefined ? { ram: canonicalSize(h.ram) } : {}),
      ...(h.ranges !== undefined
        ? { ranges: h.ranges.map(([a, b]) => [canonicalAddr(a), canonicalAddr(b)]) }
        : {}),
      gbpages: h.gbpages,
      allocator: h.allocator,
      ...(h.kernelMemory !== undefined ? { kernelMemory: canonicalSize(h.kernelMemory) } : {}),
      ...(h.seed !== undefined ? { seed: h.seed } : {}),
      linux: h.linux ?? eraLinux(raw.kernel),
      la57: h.la57,
      ...(h.boot !== undefined ? { boot: h.boot } : {}),
      ...(h.kfence ? {} : { kfence: false }),
      ...(h.debug_pagealloc ? { debug_pagealloc: true } : {}),
      ...(h.gfpUnmapped ? { gfpUnmapped: true } : {}),
      ...(h.cpu !== undefined ? { cpu: { hvInUseWrAllowed: h.cpu.hvInUseWrAllowed } } : {}),
    },
    kernel: raw.kernel,
    guests: raw.guests.map(({ gmemNoDirectMap, ...g }) => ({
      ...g,
      memory: canonicalSize(g.memory),
      ...(gmemNoDirectMap ? { gmemNoDirectMap: true } : {}),
    })),
    events: raw.events.map((e) => ({
      op: e.op,
      ...(e.guest !== undefined ? { guest: e.guest } : {}),
      ...(e.gpa !== undefined ? { gpa: canonicalAddr(e.gpa) } : {}),
      ...(e.pfn !== undefined ? { pfn: canonicalAddr(e.pfn) } : {}),
      ...(e.size !== undefined ? { size: canonicalSize(e.size) } : {}),
      ...(e.via !== undefined ? { via: e.via } : {}),
      ...(e.count !== undefined ? { count: e.count } : {}),
      ...(e.name !== undefined ? { name: e.name } : {}),
      ...(e.start !== undefined ? { start: canonicalAddr(e.start) } : {}),
      ...(e.call !== undefined ? { call: e.call } : {}),
      ...(e.caller !== undefined ? { caller: e.caller } : {}),
    })),
    captions: raw.captions
      .map((c, i) => ({ c, i }))
      .sort((a, b) => a.c.step - b.c.step || a.i - b.i)
      .map(({ c }) => ({ step: c.step, text: c.text })),
  };
  if (raw.title !== undefined) s.title = raw.title;
  if (raw.description !== undefined) s.description = raw.description;
  if (raw.workload !== undefined) {
    const w = raw.workload;
    s.workload = {
      seed: w.seed,
      steps: w.steps,
      profiles: w.profiles.map((p) => ({ profile: p.profile, weight: p.weight })),
    };
  }
  return s;
}
