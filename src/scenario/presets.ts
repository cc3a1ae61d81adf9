/**
 * Curated scenarios from public/scenarios/, bundled so that the app, the CLI and the tests see
 * the same files. Each is a version-1 scenario whose captions tell its story and cite sources.
 */
import bpfSockex1V517 from '../../public/scenarios/bpf-sockex1-v5.17.json';
import bpfSockex1V61 from '../../public/scenarios/bpf-sockex1-v6.1.json';
import fleetHwpoisonYear from '../../public/scenarios/fleet-hwpoison-year.json';
import linuxBoot64g from '../../public/scenarios/linux-boot-64g.json';
import manyGuests1t from '../../public/scenarios/many-guests-1t.json';
import modules612 from '../../public/scenarios/modules-6.12.json';
import modules613 from '../../public/scenarios/modules-6.13.json';
import modules615 from '../../public/scenarios/modules-6.15.json';
import noSnpBaseline from '../../public/scenarios/no-snp-baseline.json';
import proposalsUnmapped from '../../public/scenarios/proposals-unmapped.json';
import secretmem65 from '../../public/scenarios/secretmem-6.5.json';
import snpHostCauses from '../../public/scenarios/snp-host-causes.json';
import thread2021 from '../../public/scenarios/thread-2021.json';
import thread2021Ban from '../../public/scenarios/thread-2021-ban.json';
import thread2021Hugetlbfs from '../../public/scenarios/thread-2021-hugetlbfs.json';
import thread2021Sequester from '../../public/scenarios/thread-2021-sequester.json';
import thread2021Upstream from '../../public/scenarios/thread-2021-upstream.json';
import virtioChurn1h from '../../public/scenarios/virtio-churn-1h.json';
import { scenarioError } from './errors';
import { parseScenario } from './schema';
import type { Scenario, ScenarioError } from './types';

export const PRESETS: Record<string, unknown> = {
  'thread-2021': thread2021,
  'thread-2021-hugetlbfs': thread2021Hugetlbfs,
  'thread-2021-ban': thread2021Ban,
  'thread-2021-sequester': thread2021Sequester,
  'thread-2021-upstream': thread2021Upstream,
  'linux-boot-64g': linuxBoot64g,
  'virtio-churn-1h': virtioChurn1h,
  'many-guests-1t': manyGuests1t,
  'no-snp-baseline': noSnpBaseline,
  'bpf-sockex1-v5.17': bpfSockex1V517,
  'bpf-sockex1-v6.1': bpfSockex1V61,
  'modules-6.12': modules612,
  'modules-6.13': modules613,
  'modules-6.15': modules615,
  'secretmem-6.5': secretmem65,
  'snp-host-causes': snpHostCauses,
  'fleet-hwpoison-year': fleetHwpoisonYear,
  'proposals-unmapped': proposalsUnmapped,
};

export const PRESET_NAMES: readonly string[] = Object.keys(PRESETS);
export const DEFAULT_PRESET = 'thread-2021';

export type PresetResult =
  | { ok: true; scenario: Scenario }
  | { ok: false; errors: ScenarioError[] };

export function loadPreset(name: string): PresetResult {
  const raw = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (raw === undefined) {
    const allowed = `a preset name: ${PRESET_NAMES.join(', ')}`;
    return { ok: false, errors: [scenarioError('preset', name, allowed)] };
  }
  const r = parseScenario(raw);
  return r.ok ? { ok: true, scenario: r.scenario } : { ok: false, errors: r.errors };
}
