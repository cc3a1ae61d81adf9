/** Open a kernel × backing combination of the current scenario in the main explorer. */
import type { Backing, KernelDesign, RunInfo } from '../../src/worker/protocol';
import { editScenario } from '../controls/change';
import { withBacking, withKernel } from '../controls/scenario-edit';
import { loadSource } from '../run/session';
import { useUi } from '../store';
import type { RunSource } from '../url';

export function openCombination(
  source: RunSource,
  info: RunInfo,
  kernel: KernelDesign,
  backing: Backing,
): void {
  useUi.getState().setTool(null);
  if (source.kind === 'preset') {
    void loadSource({ ...source, kernel, backing });
    return;
  }
  editScenario(info, (s) => withBacking(withKernel(s, kernel), backing));
}

/** B of a compare: the current source with another kernel and/or backing. */
export function variantSource(
  source: RunSource,
  info: RunInfo,
  kernel: KernelDesign,
  backing: Backing,
): RunSource {
  if (source.kind === 'preset') return { ...source, kernel, backing };
  const s = info.scenario as Parameters<typeof withKernel>[0];
  return { kind: 'scenario', scenario: withBacking(withKernel(s, kernel), backing) };
}
