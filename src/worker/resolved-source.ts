/**
 * What a load answers about its source (ResolvedSource): the form the controls edit and the
 * share fragment's source part, encoded here so the main thread carries no scenario codec.
 */
import type { Backing, KernelDesign } from '../machine/events';
import { encodeShareFragment, type Scenario, type ShareSource } from '../scenario/index';
import type { LoadSource, ResolvedSource, RunSource } from './protocol';

/**
 * A preset stays a preset with its overrides; a scenario object the caller gave stays that
 * object (its link encodes it as given); any other link is the scenario the engine ran.
 */
export function resolvedSource(
  load: LoadSource,
  share: ShareSource,
  overrides: { kernel?: KernelDesign; backing?: Backing },
  ran: unknown,
): ResolvedSource {
  let source: RunSource;
  if (load.kind === 'scenario') source = { kind: 'scenario', scenario: load.scenario };
  else if ('preset' in share) source = { kind: 'preset', preset: share.preset, ...overrides };
  else source = { kind: 'scenario', scenario: ran };
  // The link encodes the scenario the engine ran: a caller's object may be a file's raw JSON
  // (a `#src=` file without `captions` made compactScenario throw, and the load never answered).
  const linked: RunSource = load.kind === 'scenario' ? { kind: 'scenario', scenario: ran } : source;
  return { source, link: sourceLink(linked) };
}

/** The fragment's source part: `#preset=…&kernel=…&backing=…` or `#v=1&s=…`. */
export function sourceLink(source: RunSource): string {
  if (source.kind === 'scenario') return encodeShareFragment(source.scenario as Scenario);
  const view: { kernel?: KernelDesign; backing?: Backing } = {};
  if (source.kernel !== undefined) view.kernel = source.kernel;
  if (source.backing !== undefined) view.backing = source.backing;
  return encodeShareFragment({ preset: source.preset }, view);
}
