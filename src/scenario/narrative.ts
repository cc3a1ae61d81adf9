/**
 * What a run says about itself: its title, description and step captions. A preset's narration
 * describes the preset as written; a link or a command-line flag that overrides its kernel
 * design or guest backing runs something else, and the captions would narrate outcomes that do
 * not happen ("the RFC splits the THP mapping" over a hugetlbfs run whose guest is killed). Such
 * a run keeps the preset's title with the override said in it, and no captions: a note says why,
 * and the outcome log tells what happens.
 *
 * The scenario itself is not changed (its digest, which covers the captions, stays the one its
 * link has always had): this is only what the app, the exports and the CLI show.
 */
import type { Backing, KernelDesign } from '../machine/events';
import type { Caption, Scenario } from './types';

export interface Narrative {
  title: string;
  description: string;
  captions: Caption[];
  /** Why the captions are not shown, or null when the run is the scenario as written. */
  note: string | null;
}

export interface Overrides {
  kernel?: KernelDesign;
  backing?: Backing;
  /** host.linux ("6.15"): the host kernel version whose rules apply. */
  linux?: string;
}

const BACKING_WORDS: Record<Backing, string> = {
  '4k': '4K pages',
  thp: 'THP',
  'hugetlbfs-2m': 'hugetlbfs 2M',
  'hugetlbfs-1g': 'hugetlbfs 1G',
};

/** What the overrides change in `base` (the scenario before them), as a phrase, or null. */
function changes(base: Scenario, o: Overrides): { run: string; was: string } | null {
  const kernel = o.kernel !== undefined && o.kernel !== base.kernel;
  const backing = o.backing !== undefined && base.guests.some((g) => g.backing !== o.backing);
  const linux = o.linux !== undefined && o.linux !== base.host.linux;
  if (!kernel && !backing && !linux) return null;
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
  if (linux) {
    run.push(`on Linux ${o.linux}`);
    was.push(`Linux ${base.host.linux}`);
  }
  return { run: run.join(' and '), was: was.join(' with ') };
}

/** The narration of `s`, which is `base` with `overrides` applied (base = s when there are none). */
export function narrativeOf(s: Scenario, base: Scenario, overrides: Overrides): Narrative {
  const title = s.title ?? 'Untitled scenario';
  const description = s.description ?? '';
  const c = changes(base, overrides);
  if (c === null || (s.captions.length === 0 && base.title === undefined))
    return { title, description, captions: s.captions, note: null };
  const note =
    s.captions.length > 0
      ? `Rerun ${c.run}: the preset's captions narrate ${c.was} and are not shown; the outcome log says what happens here.`
      : `Rerun ${c.run}; the preset's title and description are about ${c.was}.`;
  return { title: `${title}, rerun ${c.run}`, description, captions: [], note };
}
