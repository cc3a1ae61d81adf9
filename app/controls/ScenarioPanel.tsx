/**
 * The rest of the questions: which host kernel runs (chosen in the header), host RAM and gbpages, how many guests and how big, and the generated
 * workload (profile, length, seed). Each change reruns the scenario deterministically.
 */
import { memo, useEffect, useState } from 'react';
import { PROFILE_NAMES, type ProfileName } from '../../src/scenario/index';
import type { RunInfo } from '../../src/worker/protocol';
import { DESIGN_LINUX } from '../../src/worker/protocol';
import { editScenario } from './change';
import { linuxRulesText } from './linux-choice';
import {
  asScenario,
  GUEST_COUNT_CHOICES,
  GUEST_MEMORY_CHOICES,
  RAM_CHOICES,
  WORKLOAD_STEP_CHOICES,
  withGbpages,
  withGuestCount,
  withGuestMemory,
  withRam,
  withWorkload,
  withWorkloadRun,
} from './scenario-edit';

/** The choices, plus the current value when the scenario uses one that is not listed. */
function withCurrent<T extends string | number>(
  choices: readonly T[],
  current: T | undefined,
): T[] {
  return current === undefined || choices.includes(current) ? [...choices] : [current, ...choices];
}

export const ScenarioPanel = memo(function ScenarioPanel(props: { info: RunInfo | null }) {
  const { info } = props;
  const s = info ? asScenario(info.scenario) : null;
  const workload = s?.workload;
  const profile = workload?.profiles.length === 1 ? workload.profiles[0]?.profile : undefined;
  const [seedText, setSeedText] = useState(String(workload?.seed ?? 1));
  useEffect(() => setSeedText(String(workload?.seed ?? 1)), [workload?.seed]);

  if (!info || !s) return null;
  const ram = s.host.ram;
  const memory = s.guests[0]?.memory;
  const steps = workload?.steps ?? 1_000;
  const seed = workload?.seed ?? 1;
  const linux = s.host.linux ?? DESIGN_LINUX[s.kernel];

  const commitSeed = () => {
    const n = Number(seedText);
    if (!Number.isInteger(n) || n < 0 || n === seed) return setSeedText(String(seed));
    editScenario(info, (x) => withWorkloadRun(x, { seed: n }));
  };

  return (
    <section className="panel scenario-panel" aria-label="Scenario settings">
      <h2 className="panel-title">Scenario</h2>
      <div className="form-grid">
        <label>
          <span>Host RAM</span>
          <select
            value={ram ?? 'ranges'}
            onChange={(e) => editScenario(info, (x) => withRam(x, e.currentTarget.value))}
          >
            {ram === undefined && (
              <option value="ranges" disabled>
                e820 ranges
              </option>
            )}
            {withCurrent(RAM_CHOICES as readonly string[], ram).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={s.host.gbpages}
            onChange={(e) => editScenario(info, (x) => withGbpages(x, e.currentTarget.checked))}
          />
          <span>1G pages (gbpages)</span>
        </label>
        <label>
          <span>Guests</span>
          <select
            value={s.guests.length}
            onChange={(e) =>
              editScenario(info, (x) => withGuestCount(x, Number(e.currentTarget.value)))
            }
          >
            {withCurrent(GUEST_COUNT_CHOICES as readonly number[], s.guests.length).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Guest memory</span>
          <select
            value={memory ?? ''}
            onChange={(e) => editScenario(info, (x) => withGuestMemory(x, e.currentTarget.value))}
          >
            {withCurrent(GUEST_MEMORY_CHOICES as readonly string[], memory).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Workload</span>
          <select
            value={workload ? (profile ?? 'mixed') : 'none'}
            onChange={(e) => {
              const v = e.currentTarget.value;
              const p = v === 'none' ? null : (v as ProfileName);
              editScenario(info, (x) => withWorkload(x, p, seed, steps));
            }}
          >
            <option value="none">explicit events only</option>
            {workload && profile === undefined && (
              <option value="mixed" disabled>
                mixed profiles
              </option>
            )}
            {PROFILE_NAMES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Workload steps</span>
          <select
            value={steps}
            disabled={!workload}
            onChange={(e) =>
              editScenario(info, (x) =>
                withWorkloadRun(x, { steps: Number(e.currentTarget.value) }),
              )
            }
          >
            {withCurrent(WORKLOAD_STEP_CHOICES as readonly number[], steps).map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString('en-US')}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Seed</span>
          <input
            type="number"
            min={0}
            step={1}
            value={seedText}
            disabled={!workload}
            onChange={(e) => setSeedText(e.currentTarget.value)}
            onBlur={commitSeed}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitSeed();
            }}
          />
        </label>
      </div>
      <p className="panel-note scenario-linux">
        Host kernel: <strong>Linux {linux}</strong>
        {linux === DESIGN_LINUX[s.kernel] ? " (the design's era)" : ''} — {linuxRulesText(linux)}
      </p>
      <p className="panel-note">
        {info.layout === 'e820-typical'
          ? 'RAM laid out as a typical e820 (640K, PCI hole below 4 GiB)'
          : 'RAM as given'}
      </p>
      <p className="panel-note">
        {info.steps.toLocaleString('en-US')} steps,{' '}
        {info.computed < info.steps
          ? `${info.computed.toLocaleString('en-US')} run in ${Math.round(info.runMs)} ms so far`
          : `run in ${Math.round(info.runMs)} ms`}{' '}
        · digest <code>{info.scenarioDigest.slice(0, 12)}</code>
      </p>
    </section>
  );
});
