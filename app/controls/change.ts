/**
 * Turning a control change into a new run: kernel and backing on a preset stay preset overrides
 * (the short link); every other change edits the scenario the engine ran and loads it as a whole.
 */
import { editedNarration, type Scenario } from '../../src/scenario/index';
import type { Backing, KernelDesign, RunInfo } from '../../src/worker/protocol';
import { loadSource } from '../run/session';
import type { RunSource } from '../url';
import { asScenario, withBacking, withKernel } from './scenario-edit';

export function changeKernel(source: RunSource, info: RunInfo, kernel: KernelDesign): void {
  if (source.kind === 'preset') {
    void loadSource({ ...source, kernel });
    return;
  }
  editScenario(info, (s) => withKernel(s, kernel));
}

export function changeBacking(source: RunSource, info: RunInfo, backing: Backing): void {
  if (source.kind === 'preset') {
    void loadSource({ ...source, backing });
    return;
  }
  editScenario(info, (s) => withBacking(s, backing));
}

/** An edit that changes the model drops the preset's title and captions (editedNarration). */
export function editScenario(info: RunInfo, edit: (s: Scenario) => Scenario): void {
  const s = asScenario(info.scenario);
  if (s === null) return;
  void loadSource({ kind: 'scenario', scenario: editedNarration(s, edit(s)) });
}

export function changePreset(preset: string): void {
  void loadSource({ kind: 'preset', preset }, { step: 0 });
}
