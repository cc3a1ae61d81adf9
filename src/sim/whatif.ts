/**
 * Narration for a what-if: a preset rerun under another kernel design or backing. The preset's
 * captions narrate the preset's own run; a caption still holds at a step whose outcomes (kind and
 * rule, as a set) are the same in both runs, and it is kept there. Where the outcomes differ, the
 * caption is replaced by one written from the what-if's own outcomes and their rules' texts
 * ("vm: SIGBUS … A hugetlbfs mapping cannot be split …"), marked automatic. Steps the preset does
 * not caption but where the what-if kills a guest, refuses a launch or oopses the host get an
 * automatic caption too: that is where the story went another way.
 *
 * The preset's own run (BaseOutcomes) is replayed only as far as its last caption, without
 * checkpoints or series: a Machine and its outcome log, advanced in step with the what-if.
 */
import { outcomeMessage } from '../formats/outcomes';
import { applyEvent } from '../machine/apply';
import { RECORDED_CALLS } from '../machine/causes/recorded';
import { type EngineEvent, isHostOp, type MachineSpec } from '../machine/events';
import { Machine } from '../machine/machine';
import type { OutcomeKind, OutcomeLog } from '../machine/outcomes';
import { RULES } from '../machine/rules';
import { formatSize, hex } from '../machine/units';

export interface StoryCaption {
  step: number;
  text: string;
  /** Written from the what-if's outcomes (the preset's caption at this step no longer holds). */
  auto?: true;
}

interface EventList {
  readonly length: number;
  at(i: number): EngineEvent | undefined;
}

/** Kinds that turn a story: a step with one of them is narrated even when the preset is silent. */
const TURNS: readonly OutcomeKind[] = ['guest-killed', 'launch-refused', 'host-oops', 'oom'];
/** Automatic captions at uncaptioned steps, at most (a churn run can kill many guests). */
export const MAX_EXTRA_CAPTIONS = 16;
/** Outcome messages and rule texts an automatic caption quotes, at most. */
const MAX_LINES = 3;

const EXPLAIN = new Map(RULES.map((r) => [r.id as string, r.explain]));

/** The outcomes of `step` as a set of kind/rule pairs, sorted: equal strings, same story. */
export function stepSignature(log: OutcomeLog, step: number): string {
  const out = new Set<string>();
  for (let i = log.lowerBound(step); i < log.length && log.stepAt(i) === step; i++) {
    const o = log.get(i);
    out.add(`${o.kind}/${o.rule}`);
  }
  return [...out].sort().join(' ');
}

/** The distinct messages and rule texts of a step's outcomes, in log order. */
function stepTexts(m: Machine, step: number): { messages: string[]; rules: string[] } {
  const log = m.log;
  const messages: string[] = [];
  const rules: string[] = [];
  for (let i = log.lowerBound(step); i < log.length && log.stepAt(i) === step; i++) {
    const o = log.get(i);
    const msg = outcomeMessage(m, o);
    if (!messages.includes(msg)) messages.push(msg);
    const why = EXPLAIN.get(o.rule);
    if (why && !rules.includes(why)) rules.push(why);
  }
  return { messages, rules };
}

function listed(messages: readonly string[]): string {
  const shown = messages.slice(0, MAX_LINES);
  const more = messages.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/**
 * A host event as a caption names it (issue 17: captions name the host event that is the cause):
 * its op and what it carries, "secretmem (64 MiB)", "bpf-load (2048)", "hwpoison (pfn 0x1f000)".
 * Null for a guest event (its outcomes already name the guest).
 */
export function hostEventText(e: EngineEvent | undefined): string | null {
  if (!e || !isHostOp(e.op)) return null;
  const size = formatSize(e.sizeBytes);
  const detail: Partial<Record<EngineEvent['op'], string>> = {
    'bpf-load': `${e.sizeBytes} programs`,
    'bpf-unload': `${e.sizeBytes} programs`,
    kprobe: `${e.sizeBytes} probes`,
    'module-load': `module #${e.guest}, ${size}`,
    'module-unload': `module #${e.guest}`,
    hwpoison: `pfn ${hex(e.pfn)}`,
    unpoison: `pfn ${hex(e.pfn)}`,
    'hot-add': `${hex(e.pfn * 4096)}, ${size}`,
    'hot-remove': `${hex(e.pfn * 4096)}, ${size}`,
    'recorded-call': `${RECORDED_CALLS[e.guest] ?? 'call'} on ${e.sizeBytes} pages at pfn ${hex(e.pfn)}`,
  };
  return `${e.op} (${detail[e.op] ?? size})`;
}

/**
 * A caption for `step` written from the machine's outcomes there, or null when it has none. The
 * last rule is the deciding one (a fault comes first, then what the kernel does about it), so
 * its text leads; the outcomes follow as the log words them. `event`, when the step's event is a
 * host event, is named as the cause.
 */
export function autoCaption(m: Machine, step: number, event?: EngineEvent): string | null {
  const { messages, rules } = stepTexts(m, step);
  if (messages.length === 0) return null;
  const lead = rules.slice(-MAX_LINES).reverse().join(' ');
  const host = hostEventText(event);
  const head = host ? `In this what-if, the host event ${host} at this step:` : 'In this what-if:';
  return `${head} ${lead} Outcomes: ${listed(messages)}.`.replace(/\s+/g, ' ');
}

/** A caption for a step that causes nothing in the what-if but did in the preset's run. */
export function quietCaption(base: Machine, step: number, event?: EngineEvent): string {
  const { messages } = stepTexts(base, step);
  const host = hostEventText(event);
  const what = host ? `the host event ${host} causes nothing` : 'nothing happens at this step';
  return `In this what-if ${what}; in the preset it caused: ${listed(messages)}.`;
}

/** The preset's own run, replayed as far as asked (no checkpoints: it only ever moves forward). */
export class BaseOutcomes {
  private readonly m: Machine;

  constructor(
    spec: MachineSpec,
    private readonly events: EventList,
  ) {
    this.m = new Machine(spec);
  }

  get computed(): number {
    return this.m.step;
  }

  get steps(): number {
    return this.events.length;
  }

  /** Apply events up to `step` or `maxEvents` of them, whichever comes first. */
  advanceTo(step: number, maxEvents = Number.POSITIVE_INFINITY): void {
    const end = Math.min(this.events.length, step, this.m.step + maxEvents);
    while (this.m.step < end) applyEvent(this.m, this.events.at(this.m.step)!);
  }

  signature(step: number): string {
    return stepSignature(this.m.log, step);
  }

  /** The event of `step` (1-based; the what-if replays the same events), or undefined. */
  eventAt(step: number): EngineEvent | undefined {
    return step >= 1 && step <= this.events.length ? this.events.at(step - 1) : undefined;
  }

  /** What the step caused in the preset's run, said for a what-if where it causes nothing. */
  quiet(step: number): string {
    return quietCaption(this.m, step, this.eventAt(step));
  }
}

/**
 * The what-if's captions as far as both runs are computed. `words` says whether a kept caption
 * names what the what-if replaced (THP in a hugetlbfs rerun): then it is rewritten too.
 */
export class WhatIfStory {
  private readonly resolved = new Map<number, StoryCaption>();
  private next = 0;
  private scanned = 0;
  private extras = 0;
  /** Bumped whenever captions() changes. */
  version = 0;

  constructor(
    private readonly preset: readonly { step: number; text: string }[],
    private readonly base: BaseOutcomes,
    private readonly stale: (text: string) => boolean,
  ) {}

  /** The step the base must reach to decide every caption. */
  get lastStep(): number {
    return this.preset.at(-1)?.step ?? 0;
  }

  /** Every preset caption decided (extras go on with the run). */
  get decided(): boolean {
    return this.next >= this.preset.length;
  }

  /** Decide what `whatIf` (computed up to its step) allows; false when nothing changed. */
  update(whatIf: Machine, maxBaseEvents = Number.POSITIVE_INFINITY): boolean {
    const before = this.version;
    const upto = whatIf.step;
    this.base.advanceTo(Math.min(upto, this.lastStep), maxBaseEvents);
    while (this.next < this.preset.length) {
      const c = this.preset[this.next]!;
      if (c.step > upto || c.step > this.base.computed) break;
      this.next++;
      const same =
        c.step <= this.base.steps &&
        this.base.signature(c.step) === stepSignature(whatIf.log, c.step);
      if (same && !this.stale(c.text)) this.resolved.set(c.step, { step: c.step, text: c.text });
      else {
        const text =
          autoCaption(whatIf, c.step, this.base.eventAt(c.step)) ?? this.base.quiet(c.step);
        this.resolved.set(c.step, { step: c.step, text, auto: true });
      }
      this.version++;
    }
    this.scanTurns(whatIf);
    return this.version !== before;
  }

  private scanTurns(whatIf: Machine): void {
    const log = whatIf.log;
    const captioned = new Set(this.preset.map((c) => c.step));
    for (; this.scanned < log.length && this.extras < MAX_EXTRA_CAPTIONS; this.scanned++) {
      if (!TURNS.includes(log.kindAt(this.scanned))) continue;
      const step = log.stepAt(this.scanned);
      if (captioned.has(step) || this.resolved.has(step)) continue;
      const text = autoCaption(whatIf, step, this.base.eventAt(step));
      if (text === null) continue;
      this.resolved.set(step, { step, text, auto: true });
      this.extras++;
      this.version++;
    }
  }

  captions(): StoryCaption[] {
    return [...this.resolved.values()].sort((a, b) => a.step - b.step);
  }
}
