/**
 * What a link's load repaired, dropped or could not use, in words: the banner's title and lines,
 * and a one-line `brief` for the embed, whose audience must not be shown the wrong scenario
 * without a word. The engine reports the fragment's repairs (src/worker/host.ts); the query
 * string's compare parameters are the app's own, so the app checks them here.
 */
import { BACKINGS, KERNEL_DESIGNS } from '../../src/machine/events';
import { DEFAULT_PRESET } from '../../src/scenario/presets';
import {
  type Backing,
  type KernelDesign,
  type LoadResult,
  stepPastEndRepair,
} from '../../src/worker/protocol';
import { COMPARE_VIEWS } from '../embed/messages';

export interface NoticeText {
  tone: 'error' | 'warning';
  title: string;
  messages: string[];
  /** One line for a compact notice (the embed); the messages stay available in full. */
  brief: string;
}

function briefOf(title: string, messages: string[]): string {
  const first = messages[0];
  if (first === undefined) return title;
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more)` : '';
  return `${title}: ${first}${more}`;
}

/** The notice for a fragment's load, or null when it needed nothing. */
export function fragmentNotice(fragment: string, r: LoadResult): NoticeText | null {
  if (r.repairs.length === 0 && !(r.ok && r.errors.length > 0)) return null;
  const messages = [...r.errors, ...r.repairs];
  const unusable = messages.some((m) => m.includes('could not be used'));
  if (!unusable) {
    const title = 'This link needed repairs to load';
    return { tone: 'warning', title, messages, brief: briefOf(title, messages) };
  }
  const preset = new URLSearchParams(fragment.replace(/^#/, '')).get('preset');
  if (preset !== null && messages.some((m) => m.startsWith('preset: '))) {
    const name = preset.length > 40 ? `${preset.slice(0, 40)}…` : preset;
    const title = `The link's preset "${name}" was not found, so the default scenario (${DEFAULT_PRESET}) is shown`;
    return { tone: 'error', title, messages, brief: title };
  }
  const title = 'This link could not be loaded, so the default scenario is shown';
  return { tone: 'error', title, messages, brief: briefOf(title, messages) };
}

const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

/**
 * The notice for a compare link's query string (`?cmpKernel=…&cmpBacking=…&cmpView=…`) whose
 * values are not ones compare knows, saying what B is instead; null when they are all usable.
 */
export function compareNotice(
  search: string,
  b: { kernel: KernelDesign; backing: Backing },
): NoticeText | null {
  const q = new URLSearchParams(search);
  const messages: string[] = [];
  // What it fell back to comes first: the embed's one line may cut off the list of names.
  const check = (key: string, what: string, allowed: readonly string[], instead: string) => {
    const value = q.get(key);
    if (value !== null && !allowed.includes(value))
      messages.push(
        `parameter ${key}="${shown(value)}": not ${what}, so ${instead} (one of ${allowed.join(', ')})`,
      );
  };
  check('cmpKernel', 'a kernel design', KERNEL_DESIGNS, `B runs under ${b.kernel}`);
  check('cmpBacking', 'a guest backing', BACKINGS, `B uses ${b.backing} backing`);
  check('cmpView', 'a compare view', COMPARE_VIEWS, 'the difference map is shown');
  if (messages.length === 0) return null;
  const title = 'This compare link needed repairs';
  return { tone: 'warning', title, messages, brief: briefOf(title, messages) };
}

/** A view's step past the end of its run (a `#src=` link's step, clamped by the app). */
export const stepPastEnd = stepPastEndRepair;
