/**
 * Links the share dialog, the embed and the exports hand out: the page address plus a fragment
 * (scenario, step, view), an iframe snippet, and `#src=` links to a scenario file the user hosts.
 * The page address never carries the embed's query options unless asked for.
 */
import type { ViewState } from '../../src/worker/protocol';
import { currentView, getRun } from '../run/session';
import { fragmentOf } from '../url';
import { getSrcLink, srcFragment } from './src-link';

/** Past this, some mail clients and chat tools cut or mangle a link. */
export const LONG_LINK_CHARS = 2000;

const EMBED_KEYS = ['embed', 'controls', 'theme', 'autoplay', 'caption', 'captions', 'readonly'];

/** The app's address without the embed's query options (or with `query` instead). */
export function pageBase(query = ''): string {
  const u = new URL(window.location.href);
  for (const k of EMBED_KEYS) u.searchParams.delete(k);
  const q = u.searchParams.toString();
  const search = query !== '' ? `?${query}${q ? `&${q}` : ''}` : q ? `?${q}` : '';
  return `${u.origin}${u.pathname}${search}`;
}

/** The fragment for the loaded run at a view ('' before a run is loaded). */
export function fragmentFor(view: ViewState): string {
  const src = getSrcLink();
  if (src !== null) return srcFragment(src, view);
  const { link } = getRun();
  return link !== null ? fragmentOf(link, view) : '';
}

/** The current view as the user sees it. */
export function viewNow(): ViewState {
  const info = getRun().info;
  return currentView((info?.totalPages ?? 0) * 4096);
}

/**
 * The link with the DirectMap4k/2M/1G it shows at its step (`c=4k-2m-1g`, kB; src/scenario/url.ts):
 * opened under a later model, the app puts today's beside them (issue 14, then and now).
 */
export function withCounters(
  link: string,
  c: { DirectMap4k: number; DirectMap2M: number; DirectMap1G: number } | null,
): string {
  if (c === null || !link.includes('#') || /[#&]src=/.test(link)) return link;
  return `${link}&c=${c.DirectMap4k}-${c.DirectMap2M}-${c.DirectMap1G}`;
}

export function shareLink(view: ViewState = viewNow()): string {
  return pageBase() + fragmentFor(view);
}

export function embedLink(view: ViewState = viewNow()): string {
  return pageBase('embed=1&controls=mini') + fragmentFor(view);
}

export function iframeSnippet(link: string, title: string, widthPx = 960): string {
  const heightPx = Math.round((widthPx * 9) / 16);
  const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return `<iframe src="${esc(link)}" width="${widthPx}" height="${heightPx}" title="${esc(`Fracture: ${title}`)}" style="border:0" loading="lazy" allow="clipboard-write"></iframe>`;
}
