/**
 * Best-effort salvage of a broken scenario (a mangled share link, a hand-edited file). Each error
 * from parseScenario() is fixed by the rule for its path — drop a bad event, reset a bad field to
 * its default, rename a duplicate guest — and every fix is reported in words. Never silent: the
 * caller shows `repairs` to the user. Never throws.
 */
import { showValue } from './errors';
import { migrateToCurrent } from './migrate';
import { parseScenario } from './schema';
import { LIMITS, SCENARIO_VERSION, type Scenario, type ScenarioError } from './types';

export interface RepairResult {
  /** Absent when nothing could be salvaged (the input was not an object). */
  scenario?: Scenario;
  repairs: string[];
  /** Every error found on the way (empty when the input was already valid). */
  errors: ScenarioError[];
}

/** What a repaired host falls back to when its size is unusable: small and quick to show. */
export const FALLBACK_RAM = '4G';
const MAX_ROUNDS = 8;

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

export function repairScenario(input: unknown): RepairResult {
  try {
    return repairUnsafe(input);
  } catch (e) {
    return { repairs: [`could not repair the scenario (internal error: ${e})`], errors: [] };
  }
}

function repairUnsafe(input: unknown): RepairResult {
  const first = parseScenario(input);
  if (first.ok) return { scenario: first.scenario, repairs: first.warnings, errors: [] };
  // A value nested past the schema's depth bound would overflow the stack in the copy below.
  if (first.errors.some((e) => e.value === 'too deep'))
    return {
      repairs: ['could not repair the scenario: it is nested too deep'],
      errors: first.errors,
    };
  const repairs: string[] = [];
  let work: unknown = input;
  const migrated = migrateToCurrent(input);
  if (!migrated.ok && isObject(input)) {
    repairs.push(`${migrated.error.message} → read as version ${SCENARIO_VERSION}`);
    work = { ...input, version: SCENARIO_VERSION };
  }
  if (!isObject(work))
    return { repairs: ['nothing to salvage: not a scenario object'], errors: first.errors };
  work = JSON.parse(JSON.stringify(work)) as Json;
  const errors: ScenarioError[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const r = parseScenario(work);
    if (r.ok) {
      const dropped = r.warnings.map((w) => w.replace(/ignored$/, 'dropped'));
      return { scenario: r.scenario, repairs: [...repairs, ...dropped], errors };
    }
    errors.push(...r.errors);
    const fixer = new Fixer(work as Json, repairs);
    for (const error of r.errors) fixer.fix(error);
    if (!fixer.apply()) break;
  }
  return { repairs: [...repairs, 'could not repair the scenario'], errors };
}

/** "guests[1].backing" → ["guests", 1, "backing"]. */
function parsePath(path: string): (string | number)[] {
  const items: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    items.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''));
  }
  return items;
}

class Fixer {
  private readonly drops = new Map<string, Set<number>>();
  private changed = false;

  constructor(
    private readonly s: Json,
    private readonly repairs: string[],
  ) {}

  private note(error: ScenarioError, action: string): void {
    this.repairs.push(`${error.message} → ${action}`);
    this.changed = true;
  }

  private drop(list: string, index: number, error: ScenarioError, what: string): void {
    const set = this.drops.get(list) ?? new Set<number>();
    if (!set.has(index)) this.note(error, `${what} dropped`);
    set.add(index);
    this.drops.set(list, set);
  }

  fix(error: ScenarioError): void {
    const [top, i, field] = parsePath(error.path);
    if (top === '(scenario)') return;
    const s = this.s;
    if (top === 'version') {
      s.version = SCENARIO_VERSION;
      this.note(error, `set to ${SCENARIO_VERSION}`);
    } else if (top === 'title' || top === 'description') {
      delete s[top];
      this.note(error, `${top} dropped`);
    } else if (top === 'kernel') {
      delete s.kernel;
      this.note(error, 'reset to the default, "upstream-2024"');
    } else if (top === 'host') {
      if (!isObject(s.host)) s.host = {};
      this.fixHost(error, s.host as Json, i, field);
    } else if (top === 'guests') this.fixGuest(error, i, field);
    else if (top === 'workload') this.fixWorkload(error, i, field);
    else if (top === 'events' || top === 'captions') {
      if (typeof i === 'number') this.drop(top, i, error, `${top.slice(0, -1)} ${i}`);
      else this.truncateList(error, top);
    }
  }

  private truncateList(error: ScenarioError, key: string): void {
    const list = this.s[key];
    const max =
      key === 'guests' ? LIMITS.guests : key === 'events' ? LIMITS.events : LIMITS.captions;
    if (Array.isArray(list) && list.length > max) {
      this.s[key] = list.slice(0, max);
      this.note(error, `kept the first ${max}`);
    } else {
      this.s[key] = [];
      this.note(error, `${key} emptied`);
    }
  }

  private fixHost(error: ScenarioError, host: Json, field: unknown, index: unknown): void {
    if (field === 'ranges' && typeof index === 'number' && Array.isArray(host.ranges)) {
      this.drop('ranges', index, error, `range ${index}`);
      return;
    }
    if (field === undefined) {
      this.s.host = { ram: FALLBACK_RAM };
      this.note(error, `host set to ${FALLBACK_RAM} of RAM`);
      return;
    }
    if (error.allowed.startsWith('exactly') && host.ram !== undefined) {
      delete host.ranges;
      this.note(error, 'ranges dropped, ram kept');
      return;
    }
    if (field === 'ram' || field === 'ranges') {
      delete host.ranges;
      host.ram = FALLBACK_RAM;
      this.note(error, `host RAM set to ${FALLBACK_RAM}`);
      return;
    }
    if (typeof field === 'string') {
      delete host[field];
      this.note(error, `host.${field} reset to its default`);
    }
  }

  private fixGuest(error: ScenarioError, i: string | number | undefined, field: unknown): void {
    const guests = this.s.guests;
    if (typeof i !== 'number' || !Array.isArray(guests)) {
      this.truncateList(error, 'guests');
      return;
    }
    const g = guests[i];
    if (!isObject(g) || field === undefined || field === 'memory') {
      this.drop('guests', i, error, `guest ${i}`);
      return;
    }
    if (field === 'name') {
      const taken = new Set(guests.map((x) => (isObject(x) ? x.name : undefined)));
      let name =
        typeof g.name === 'string' && g.name !== '' ? `${g.name.slice(0, 50)}-${i}` : `vm${i}`;
      while (taken.has(name)) name = `${name}'`;
      g.name = name;
      this.note(error, `renamed "${name}"`);
    } else if (field === 'vcpus') {
      const n = typeof g.vcpus === 'number' && Number.isFinite(g.vcpus) ? Math.round(g.vcpus) : 1;
      g.vcpus = Math.min(Math.max(n, 1), LIMITS.vcpus);
      this.note(error, `set to ${g.vcpus}`);
    } else if (field === 'backing') {
      g.backing = 'thp';
      this.note(error, 'set to "thp"');
    } else if (typeof field === 'string') {
      delete g[field];
      this.note(error, 'reset to its default');
    }
  }

  private fixWorkload(error: ScenarioError, i: unknown, field: unknown): void {
    const w = this.s.workload;
    if (!isObject(w) || i === undefined) {
      delete this.s.workload;
      this.note(error, 'workload dropped');
      return;
    }
    if (i === 'seed') {
      w.seed = 1;
      this.note(error, 'seed set to 1');
    } else if (i === 'steps') {
      const events = Array.isArray(this.s.events) ? this.s.events.length : 0;
      const max = LIMITS.events - events;
      w.steps = typeof w.steps === 'number' && w.steps > max ? max : 1000;
      this.note(error, `steps set to ${w.steps}`);
    } else if (i === 'profiles' && typeof field === 'number' && Array.isArray(w.profiles)) {
      this.drop('profiles', field, error, `profile ${field}`);
    } else {
      delete this.s.workload;
      this.note(error, 'workload dropped');
    }
  }

  /** Apply collected drops (remapping events' guest indices); false when nothing changed. */
  apply(): boolean {
    const s = this.s;
    const keep = (list: unknown, drop: Set<number> | undefined) =>
      Array.isArray(list) && drop ? list.filter((_, k) => !drop.has(k)) : list;
    const droppedGuests = this.drops.get('guests');
    const droppedEvents = this.drops.get('events');
    if ((droppedGuests || droppedEvents) && Array.isArray(s.events)) {
      // One pass over the original indices, so messages and drop sets agree.
      const gone = droppedGuests ?? new Set<number>();
      const remap = (ref: number) => ref - [...gone].filter((d) => d < ref).length;
      s.events = s.events.filter((e, k) => {
        if (droppedEvents?.has(k)) return false;
        if (!isObject(e) || typeof e.guest !== 'number') return true;
        if (gone.has(e.guest)) {
          this.repairs.push(`events[${k}]: its guest ${e.guest} was dropped → event dropped`);
          return false;
        }
        e.guest = remap(e.guest);
        return true;
      });
    }
    for (const key of ['guests', 'captions']) s[key] = keep(s[key], this.drops.get(key));
    const host = s.host;
    const ranges = this.drops.get('ranges');
    if (isObject(host) && ranges) {
      host.ranges = keep(host.ranges, ranges);
      if (Array.isArray(host.ranges) && host.ranges.length === 0) {
        delete host.ranges;
        host.ram = FALLBACK_RAM;
        this.repairs.push(`host.ranges: no usable range left → host RAM set to ${FALLBACK_RAM}`);
      }
    }
    const w = s.workload;
    if (isObject(w)) {
      w.profiles = keep(w.profiles, this.drops.get('profiles'));
      if (Array.isArray(w.profiles) && w.profiles.length === 0) {
        delete s.workload;
        this.repairs.push(`workload: no usable profile left → workload dropped (${showValue(w)})`);
      }
    }
    return this.changed;
  }
}
