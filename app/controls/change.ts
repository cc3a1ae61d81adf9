/**
 * Turning a control change into a new run: kernel and backing on a preset stay preset overrides
 * (the short link); every other change edits the scenario and loads it as a whole. Edits build on
 * the newest scenario asked for (edits.ts), so quick successive changes all stick.
 */
import { editedNarration, type Scenario } from '../../src/scenario/index';
import type { Backing, KernelDesign, RunInfo } from '../../src/worker/protocol';
import { DESIGN_LINUX } from '../../src/worker/protocol';
import { loadSource } from '../run/session';
import type { RunSource } from '../url';
import { editLatest, latestSource, overrideLatest } from './edits';
import { withBacking, withKernel, withLinux } from './scenario-edit';

function narrated(edit: (s: Scenario) => Scenario): (s: Scenario) => Scenario {
  return (s) => editedNarration(s, edit(s));
}

export function changeKernel(_source: RunSource, _info: RunInfo, kernel: KernelDesign): void {
  if (overrideLatest({ kernel })) return;
  editLatest(narrated((s) => withKernel(s, kernel)));
}

export function changeBacking(_source: RunSource, _info: RunInfo, backing: Backing): void {
  if (overrideLatest({ backing })) return;
  editLatest(narrated((s) => withBacking(s, backing)));
}

/**
 * Another host kernel version (`host.linux`). On a preset it is the `linux=` override, dropped
 * when it picks the kernel the preset runs without one (the short link stays short).
 */
export function changeLinux(info: RunInfo, linux: string): void {
  const latest = latestSource();
  if (latest?.kind === 'preset') {
    overrideLatest({ linux }, linux === presetLinux(info, latest.kernel) ? ['linux'] : []);
    return;
  }
  editLatest(narrated((s) => withLinux(s, linux)));
}

/**
 * The host kernel the run's preset runs without a linux override under design `kernel`: its own
 * (RunInfo.linux.base) under the run's design, else that design's era.
 */
export function presetLinux(info: RunInfo, kernel: KernelDesign | undefined): string {
  return kernel === undefined || kernel === info.kernel ? info.linux.base : DESIGN_LINUX[kernel];
}

/**
 * `info` is the run the control showed; the edit applies to the newest scenario asked for, and an
 * edit that changes the model drops the preset's title and captions (editedNarration).
 */
export function editScenario(_info: RunInfo, edit: (s: Scenario) => Scenario): void {
  editLatest(narrated(edit));
}

export function changePreset(preset: string): void {
  void loadSource({ kind: 'preset', preset }, { step: 0 });
}
