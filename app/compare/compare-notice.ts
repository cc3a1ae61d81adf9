/**
 * A compare link's query string (`?cmpKernel=…&cmpBacking=…&cmpView=…`) with values compare does
 * not know: the notice the page's first run shows, saying what B is instead (the session asks
 * through setFirstRunNotice, so it needs nothing from compare).
 */
import {
  BACKINGS,
  type Backing,
  KERNEL_DESIGNS,
  type KernelDesign,
  type RunInfo,
} from '../../src/worker/protocol';
import { briefOf, type NoticeText } from '../run/link-notices';
import { COMPARE_VIEWS, readCompareParams } from '../share/compare-url';
import { defaultB } from './sides';

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

/** The page's first run: a compare link's B parameters, read once, now. */
export function compareLinkNotice(info: RunInfo): NoticeText | null {
  const search = window.location.search;
  const params = readCompareParams(search);
  return params ? compareNotice(search, defaultB(info, params)) : null;
}
