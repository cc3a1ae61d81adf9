/**
 * Opening a scenario file in the tools worker: a downloaded `.fracture.json` dropped, picked or
 * pasted in the app, or the body of a `#src=` link (issue 16). The bytes arrive transferred and
 * are decoded and parsed here, never on the main thread (a 141 MB answer froze the page 1.1 s).
 * The validation is the CLI's (parseScenario, worded as resolveScenarioText words it: the same
 * per-field messages `sim run` prints, each after the file's name); a file that fails is salvaged as a broken link is
 * (repairScenario), so the app opens the repaired scenario with every error and every fix named.
 */
import { strFromU8 } from 'fflate';
import { parseScenario, repairScenario } from '../scenario/index';
import { MAX_SCENARIO_BYTES, type OpenScenarioResult, tooLargeScenarioMessage } from './protocol';

export { MAX_SCENARIO_BYTES, mayBeScenarioText } from './protocol';

/** Does this JSON look like it is meant as a scenario (rather than, say, a Prometheus answer)? */
function scenarioShaped(json: unknown): boolean {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  return 'guests' in json || 'host' in json || ('version' in json && 'events' in json);
}

function decode(input: string | ArrayBuffer): string {
  if (typeof input === 'string') return input;
  const text = strFromU8(new Uint8Array(input));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * `detect`: the import sheet's question "is this a scenario at all?" — text that is not JSON, or
 * JSON that is not shaped like a scenario, answers not-scenario so the sheet imports it as
 * kernel text. Without it (a `#src=` body) such input is refused with its reason.
 */
export function openScenario(
  input: string | ArrayBuffer,
  name: string,
  options: { detect?: boolean } = {},
): OpenScenarioResult {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > MAX_SCENARIO_BYTES)
    return { kind: 'refused', reason: 'too-large', errors: [tooLargeScenarioMessage(size)] };
  const text = decode(input);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (options.detect) return { kind: 'not-scenario' };
    const why = e instanceof Error ? e.message : String(e);
    return { kind: 'refused', reason: 'not-json', errors: [`${name}: not valid JSON (${why})`] };
  }
  if (options.detect && !scenarioShaped(json)) return { kind: 'not-scenario' };
  const r = parseScenario(json);
  if (r.ok) return { kind: 'scenario', scenario: r.scenario, warnings: r.warnings };
  // As resolveScenarioText words them for `sim run <file>`: the file's name, then the message.
  const errors = r.errors.map((e) => `${name}: ${e.message}`);
  const repaired = repairScenario(json);
  if (repaired.scenario === undefined || !parseScenario(repaired.scenario).ok)
    return { kind: 'refused', reason: 'invalid', errors: [...errors, ...repaired.repairs] };
  return { kind: 'repaired', scenario: repaired.scenario, errors, repairs: repaired.repairs };
}
