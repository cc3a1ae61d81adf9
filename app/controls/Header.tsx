/**
 * The header: the scenario's title and the questions people ask first — which preset, which
 * kernel design, which host kernel version, which guest memory backing — plus share, theme and
 * panel toggles.
 */
import { memo } from 'react';
import { PRESET_NAMES } from '../../src/scenario/index';
import type { Backing, KernelDesign, RunInfo } from '../../src/worker/protocol';
import { BACKINGS, DESIGN_LINUX } from '../../src/worker/protocol';
import { type Tool, useUi } from '../store';
import type { RunSource } from '../url';
import { changeBacking, changeKernel, changeLinux, changePreset, presetLinux } from './change';
import { linuxChoices, linuxRulesText } from './linux-choice';
import { asScenario, BACKING_LABELS, commonBacking } from './scenario-edit';

const TOOLS: [Tool, string, string][] = [
  ['compare', 'Compare', 'Run this scenario next to another kernel design or backing (A/B)'],
  ['sweep', 'Sweep', 'This workload under every kernel design × backing'],
  [
    'import',
    'Import',
    'Paste or drop ptdump, meminfo, e820, SEV-SNP or QEMU text from a real machine',
  ],
];

export const Header = memo(function Header(props: {
  info: RunInfo | null;
  source: RunSource | null;
  pending: RunSource | null;
  loading: boolean;
}) {
  const { info, source, pending, loading } = props;
  const theme = useUi((s) => s.theme);
  const panels = useUi((s) => s.panels);
  const openTool = useUi((s) => s.tool);
  const ui = useUi.getState();
  // Show the user's choice at once, not only when the worker has rerun the scenario.
  const pendingScenario = pending?.kind === 'scenario' ? asScenario(pending.scenario) : null;
  const scenario = pendingScenario ?? (info ? asScenario(info.scenario) : null);
  const pendingPreset = pending?.kind === 'preset' ? pending : null;
  const backing = pendingPreset?.backing ?? (scenario ? commonBacking(scenario) : null);
  const kernel = pendingPreset?.kernel ?? scenario?.kernel ?? info?.kernel ?? '';
  const era = kernel !== '' ? DESIGN_LINUX[kernel] : '';
  const linux =
    pendingPreset && info
      ? (pendingPreset.linux ?? presetLinux(info, pendingPreset.kernel))
      : (scenario?.host.linux ?? era);
  const shown = pending ?? source;
  // A host-only story (no guests): there is no guest memory to back.
  const hostOnly = info !== null && info.guests.length === 0;
  const preset = shown?.kind === 'preset' ? shown.preset : '';
  const lecture = useUi((s) => s.lecture);

  return (
    <header className="app-header">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ▦
        </span>
        <span className="app-name">Fracture</span>
      </div>
      <div className="header-controls">
        <label className="field">
          <span>Preset</span>
          <select
            value={preset}
            disabled={loading && !info}
            onChange={(e) => changePreset(e.currentTarget.value)}
          >
            {preset === '' && (
              <option value="" disabled>
                custom scenario
              </option>
            )}
            {PRESET_NAMES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Kernel design</span>
          <select
            value={kernel}
            disabled={!info || !source}
            onChange={(e) => {
              if (info && source) changeKernel(source, info, e.currentTarget.value as KernelDesign);
            }}
          >
            {info?.designs.map((d) => (
              <option key={d.id} value={d.id} title={d.summary}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Host kernel</span>
          <select
            value={linux}
            disabled={!info || !source}
            title={linux !== '' ? `Linux ${linux}: ${linuxRulesText(linux)}` : undefined}
            onChange={(e) => {
              if (info && source) changeLinux(info, e.currentTarget.value);
            }}
          >
            {linux !== '' &&
              info &&
              linuxChoices(linux, { ...info.linux, era }).map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
          </select>
        </label>
        <div className="field segmented">
          <span id="backing-label">Guest memory backing</span>
          <div
            className="segments"
            role="radiogroup"
            aria-labelledby="backing-label"
            title={hostOnly ? 'This scenario runs no guests: nothing to back' : undefined}
          >
            {BACKINGS.map((b: Backing) => (
              <label key={b} className={backing === b ? 'checked' : ''}>
                <input
                  type="radio"
                  name="backing"
                  value={b}
                  checked={backing === b}
                  disabled={!info || !source || hostOnly}
                  onChange={() => {
                    if (info && source) changeBacking(source, info, b);
                  }}
                />
                {BACKING_LABELS[b]}
              </label>
            ))}
          </div>
        </div>
      </div>
      <div className="header-actions">
        {loading && (
          <span className="busy" role="status">
            Running…
          </span>
        )}
        {TOOLS.map(([tool, label, title]) => (
          <button
            key={tool}
            type="button"
            className="text-button"
            aria-pressed={openTool === tool}
            onClick={() => ui.setTool(openTool === tool ? null : tool)}
            title={title}
          >
            {label}
          </button>
        ))}
        <button
          type="button"
          className="text-button"
          aria-pressed={panels.counters}
          onClick={() => ui.togglePanel('counters')}
          title="Show or hide the counters column"
        >
          Counters
        </button>
        <button
          type="button"
          className="text-button"
          aria-pressed={panels.log}
          disabled={lecture}
          onClick={() => ui.togglePanel('log')}
          title={
            lecture
              ? 'The outcome log is hidden in lecture mode'
              : 'Show or hide the outcome log column'
          }
        >
          Log
        </button>
        <button
          type="button"
          className="text-button"
          onClick={() => ui.setTheme(theme === 'dark' ? 'light' : 'dark')}
          title="Switch between light and dark themes"
        >
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
        <button
          type="button"
          className="text-button"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={() => ui.togglePanel('help', true)}
        >
          ?
        </button>
        <button
          type="button"
          className="text-button"
          aria-pressed={lecture}
          disabled={!info}
          onClick={() => ui.setLecture(!lecture)}
          title="Lecture mode: PageDown/PageUp or →/← move between captioned steps, Esc leaves"
        >
          Lecture
        </button>
        <button
          type="button"
          className="text-button"
          disabled={!info}
          onClick={() => ui.setDialog('export')}
          title="Export images, video and text"
        >
          Export
        </button>
        <button
          type="button"
          className="primary-button"
          disabled={!info}
          onClick={() => ui.setDialog('share')}
          title="Share a link, an iframe snippet or the scenario file"
        >
          Share
        </button>
      </div>
    </header>
  );
});
