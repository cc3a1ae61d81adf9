/**
 * The URL fragment as the app's address: what to load on startup and after a hand edit, and the
 * link written back as the user moves. A preset with overrides stays in the short, hand-editable
 * form (`#preset=thread-2021&kernel=rfc-2021&backing=hugetlbfs-2m&step=4`); anything else is the
 * full `#v=2&s=…` form. The worker decodes and encodes them (the scenario package's codec, which
 * the CLI shares); the main thread only appends the view to the link a load answered with.
 */
import {
  type LoadSource,
  type MapLayer,
  type RunSource,
  shareFragmentOf,
  type ViewState,
} from '../src/worker/protocol';

export type { RunSource };

/** A source the controls built is a load source as it is. */
export function loadSourceOf(source: RunSource): LoadSource {
  return source;
}

/**
 * The fragment for the loaded run's link (ResolvedSource.link, encoded by the worker) and a view
 * (it starts with `#`).
 */
export function fragmentOf(link: string, view: ViewState): string {
  return shareFragmentOf(link, view);
}

export const MAP_LAYERS: readonly MapLayer[] = ['direct-map', 'vmm', 'rmp', 'guest'];

/** The current fragment, or '' when there is none worth loading. */
export function currentFragment(): string {
  const h = window.location.hash;
  return h.length > 1 ? h : '';
}

/** Rewrite the address bar without a history entry per step (Back leaves the app, as expected). */
export function writeFragment(fragment: string): void {
  if (window.location.hash === fragment) return;
  const url = `${window.location.pathname}${window.location.search}${fragment}`;
  window.history.replaceState(window.history.state, '', url);
}
