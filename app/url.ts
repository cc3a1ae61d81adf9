/**
 * The URL fragment as the app's address: what to load on startup and after a hand edit, and the
 * link written back as the user moves. A preset with overrides stays in the short, hand-editable
 * form (`#preset=thread-2021&kernel=rfc-2021&backing=hugetlbfs-2m&step=4`); anything else is the
 * full `#v=1&s=…` form. Both come from the scenario package's codec, so the CLI reads them too.
 */
import {
  DEFAULT_PRESET,
  decodeShareFragment,
  encodeShareFragment,
  type Scenario,
} from '../src/scenario/index';
import type {
  Backing,
  KernelDesign,
  LoadSource,
  MapLayer,
  ViewState,
} from '../src/worker/protocol';

/** What the current run was loaded from, in the form the controls edit. */
export type RunSource =
  | { kind: 'preset'; preset: string; kernel?: KernelDesign; backing?: Backing }
  | { kind: 'scenario'; scenario: unknown };

export function loadSourceOf(source: RunSource): LoadSource {
  if (source.kind === 'scenario') return { kind: 'scenario', scenario: source.scenario };
  const out: LoadSource = { kind: 'preset', preset: source.preset };
  if (source.kernel !== undefined) out.kernel = source.kernel;
  if (source.backing !== undefined) out.backing = source.backing;
  return out;
}

/**
 * The RunSource a fragment describes once loaded: a preset (with its valid overrides) when the
 * link names one and needed no repair, otherwise the scenario the engine actually ran.
 */
export function sourceOfFragment(fragment: string, loadedScenario: unknown): RunSource {
  const d = decodeShareFragment(fragment);
  // The engine opens the default preset when a link holds no usable scenario.
  if (d.scenario === undefined) return { kind: 'preset', preset: DEFAULT_PRESET };
  if (d.preset !== undefined && d.errors.length === 0 && d.scenario !== undefined) {
    const src: RunSource = { kind: 'preset', preset: d.preset };
    if (d.view.kernel !== undefined) src.kernel = d.view.kernel;
    if (d.view.backing !== undefined) src.backing = d.view.backing;
    return src;
  }
  return { kind: 'scenario', scenario: loadedScenario };
}

/** The fragment for a source and view (without the leading `#` stripped: it starts with `#`). */
export function fragmentOf(source: RunSource, view: ViewState): string {
  const shareView: Parameters<typeof encodeShareFragment>[1] = {};
  if (source.kind === 'preset') {
    if (source.kernel !== undefined) shareView.kernel = source.kernel;
    if (source.backing !== undefined) shareView.backing = source.backing;
  }
  if (view.step !== undefined && view.step > 0) shareView.step = view.step;
  if (view.zoom !== undefined) shareView.zoom = view.zoom;
  if (view.layer !== undefined && view.layer !== 'direct-map') shareView.layer = view.layer;
  if (view.sel !== undefined) shareView.sel = view.sel;
  const target =
    source.kind === 'preset' ? { preset: source.preset } : (source.scenario as Scenario);
  return encodeShareFragment(target, shareView);
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
