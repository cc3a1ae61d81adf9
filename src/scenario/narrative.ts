/**
 * What a run says about itself: its title, description and step captions. A preset's narration
 * describes the preset as written; a link or a command-line flag that overrides its kernel
 * design or guest backing runs something else, and the captions would narrate outcomes that do
 * not happen ("the RFC splits the THP mapping" over a hugetlbfs run whose guest is killed). Such
 * a run keeps the preset's title with the override said in it; its captions are `pending`: the
 * engine keeps each one whose step turns out as in the preset and writes the others from the
 * what-if's outcomes (src/sim/whatif.ts), and a note says so.
 *
 * A scenario edited in the app (RAM, guests, workload…) is no longer the preset at all: its
 * title says what it was edited from and the preset's captions go (editedNarration).
 *
 * The scenario itself is not changed (its digest, which covers the captions, stays the one its
 * link has always had): this is only what the app, the exports and the CLI show.
 */
import type { Backing, KernelDesign } from '../machine/events';
import { type Caption, LIMITS, type Scenario } from './types';

export interface Narrative {
  title: string;
  description: string;
  captions: Caption[];
  /**
   * The preset's captions for a what-if, each to be kept only where its step's outcomes are the
   * preset's (empty when the run is the scenario as written).
   */
  pending: Caption[];
  /** Whether a pending caption names what the what-if replaced (it no longer holds as written). */
  stale: (text: string) => boolean;
  /** How the captions were chosen, or null when the run is the scenario as written. */
  note: string | null;
}

export interface Overrides {
  kernel?: KernelDesign;
  backing?: Backing;
}

const BACKING_WORDS: Record<Backing, string> = {
  '4k': '4K pages',
  thp: 'THP',
  'hugetlbfs-2m': 'hugetlbfs 2M',
  'hugetlbfs-1g': 'hugetlbfs 1G',
};

/** Words a caption uses for a backing (a caption naming the replaced backing is rewritten). */
const BACKING_MENTIONS: Record<Backing, RegExp> = {
  '4k': /\b4K pages\b|\b4 KiB pages\b/i,
  thp: /\bTHP\b|transparent huge/i,
  'hugetlbfs-2m': /hugetlbfs/i,
  'hugetlbfs-1g': /hugetlbfs/i,
};

const never = () => false;

/** What the overrides change in `base` (the scenario before them), as a phrase, or null. */
function changes(base: Scenario, o: Overrides): { run: string; was: string } | null {
  const kernel = o.kernel !== undefined && o.kernel !== base.kernel;
  const backing = o.backing !== undefined && base.guests.some((g) => g.backing !== o.backing);
  if (!kernel && !backing) return null;
  const run: string[] = [];
  const was: string[] = [];
  if (kernel) {
    run.push(`under ${o.kernel}`);
    was.push(`kernel ${base.kernel}`);
  }
  if (backing) {
    run.push(`with ${BACKING_WORDS[o.backing!]} backing`);
    const own = [...new Set(base.guests.map((g) => BACKING_WORDS[g.backing]))];
    was.push(`${own.join(' and ')} backing`);
  }
  return { run: run.join(' and '), was: was.join(' with ') };
}

/** The narration of `s`, which is `base` with `overrides` applied (base = s when there are none). */
export function narrativeOf(s: Scenario, base: Scenario, overrides: Overrides): Narrative {
  const title = s.title ?? 'Untitled scenario';
  const description = s.description ?? '';
  const c = changes(base, overrides);
  if (c === null || (s.captions.length === 0 && base.title === undefined))
    return { title, description, captions: s.captions, pending: [], stale: never, note: null };
  const note =
    s.captions.length > 0
      ? `Rerun ${c.run}: the preset's captions narrate ${c.was}; each is kept where its step turns out the same here, and steps whose outcome changed are narrated from the outcomes (marked automatic).`
      : `Rerun ${c.run}; the preset's title and description are about ${c.was}.`;
  const replaced = [...new Set(base.guests.map((g) => g.backing))]
    .filter((b) => overrides.backing !== undefined && b !== overrides.backing)
    .map((b) => BACKING_MENTIONS[b]);
  const kernel = overrides.kernel !== undefined && overrides.kernel !== base.kernel;
  const stale = (text: string) =>
    replaced.some((re) => re.test(text)) || (kernel && text.includes(base.kernel));
  return {
    title: `${title}, rerun ${c.run}`,
    description,
    captions: [],
    pending: s.captions,
    stale,
    note,
  };
}

const EDITED = 'Edited from: ';

/** A scenario without its narration, to tell a change of the model from a change of captions. */
function model(s: Scenario): string {
  const { title: _t, description: _d, captions: _c, ...rest } = s;
  return JSON.stringify(rest);
}

/**
 * `after`, an edit of `before` made in the app: when the edit changed the model (anything but
 * the title, description and captions), the preset's narration no longer holds, so the title
 * says what it was edited from and the description and captions go. A caption edit, or an edit
 * of an already edited scenario, keeps what it has.
 */
export function editedNarration(before: Scenario, after: Scenario): Scenario {
  if (model(before) === model(after)) return after;
  if (
    before.title?.startsWith(EDITED) ||
    (before.title === undefined && before.captions.length === 0)
  )
    return after;
  const from = before.title ?? 'an untitled scenario';
  return {
    ...after,
    title: `${EDITED}${from}`.slice(0, LIMITS.titleChars),
    description: `Edited in Fracture from “${from}”: the original's description and captions narrate it as written, not this edit.`,
    captions: [],
  };
}
