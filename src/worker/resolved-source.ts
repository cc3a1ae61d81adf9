/**
 * What a load answers about its source (ResolvedSource): the form the controls edit and the
 * share fragment's source part, encoded here so the main thread carries no scenario codec.
 */
import type { Backing, KernelDesign } from '../machine/events';
import {
  encodeShareFragment,
  eraLinux,
  KNOWN_LINUX_VERSIONS,
  linuxForKernel,
  nearestLinuxVersion,
  type Scenario,
  type ShareSource,
} from '../scenario/index';
import type { LoadSource, ResolvedSource, RunInfo, RunSource } from './protocol';

/** RunInfo.linux: the host kernel `s` runs, its design's era, and what `base` runs under it. */
export function hostKernelOf(s: Scenario, base: Scenario): RunInfo['linux'] {
  const era = eraLinux(s.kernel);
  return {
    runs: s.host.linux ?? era,
    era,
    base: linuxForKernel(base.host.linux, base.kernel, s.kernel),
    known: [...KNOWN_LINUX_VERSIONS],
    nearest: nearestLinuxVersion(s.host.linux ?? era),
  };
}

/**
 * A preset stays a preset with its overrides; a scenario object the caller gave stays that
 * object; any other link is the scenario the engine ran. A scenario's link always encodes the
 * scenario the engine ran (parsed, every default filled in): the object as given may lack
 * fields the codec needs (a hand-written file without `events` or `captions`).
 */
export function resolvedSource(
  load: LoadSource,
  share: ShareSource,
  overrides: { kernel?: KernelDesign; backing?: Backing; linux?: string },
  ran: unknown,
): ResolvedSource {
  let source: RunSource;
  if (load.kind === 'scenario') {
    source = { kind: 'scenario', scenario: load.scenario };
    return { source, link: sourceLink({ kind: 'scenario', scenario: ran }) };
  }
  if ('preset' in share) source = { kind: 'preset', preset: share.preset, ...overrides };
  else source = { kind: 'scenario', scenario: ran };
  return { source, link: sourceLink(source) };
}

/** The fragment's source part: `#preset=…&kernel=…&backing=…&linux=…` or `#v=1&s=…`. */
export function sourceLink(source: RunSource): string {
  if (source.kind === 'scenario') return encodeShareFragment(source.scenario as Scenario);
  const view: { kernel?: KernelDesign; backing?: Backing; linux?: string } = {};
  if (source.kernel !== undefined) view.kernel = source.kernel;
  if (source.backing !== undefined) view.backing = source.backing;
  if (source.linux !== undefined) view.linux = source.linux;
  return encodeShareFragment({ preset: source.preset }, view);
}
