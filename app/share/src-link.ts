/**
 * `#src=<url>` links: the scenario lives in a JSON file the user hosts, for scenarios too long for
 * a link. The file is fetched only when such a link is opened — the one network request the app
 * makes, and only to the URL in the link. Fetch, JSON and validation failures are shown, and the
 * default preset opens so the app keeps working.
 *
 * Issue 16: the answer is bounded. A Content-Length over MAX_SCENARIO_BYTES is refused before the
 * body is read; a body without one is read as a stream and cancelled once past the cap; and the
 * bytes are parsed in the tools worker (transferred), never on the main thread (141 MB froze the
 * page 1.1 s, and a 700 MB file was called "not valid JSON").
 */
import { transfer } from 'comlink';
import { DEFAULT_PRESET } from '../../src/scenario/index';
import {
  MAX_SCENARIO_BYTES,
  type RunSource,
  tooLargeScenarioMessage,
  type ViewState,
} from '../../src/worker/protocol';
import {
  addWarnings,
  dismissNotice,
  getRun,
  linkView,
  loadSource,
  type SrcError,
  setSrcLink,
  useRunPart,
} from '../run/session';
import { openedAsTimeline } from '../timeline/open';
import { looksLikeTimeline } from '../timeline/state';
import { getTools } from '../tools-client';
import { MAP_LAYERS } from '../url';

export const TOO_LARGE_SRC_TITLE = 'The scenario file is too large';

// The link's state is the run session's (its URL, the source its file became, its error): any
// other load (a preset, an edit) replaces the source and so ends the link.
export { dismissSrcError, getSrcLink, type SrcError } from '../run/session';

export function useSrcError(): SrcError | null {
  return useRunPart((s) => s.srcError);
}

/** Is this fragment a `#src=` link? */
export function isSrcFragment(fragment: string): boolean {
  return /^#?src=/.test(fragment);
}

export function srcFragment(url: string, view: ViewState): string {
  let f = `#src=${encodeURIComponent(url)}`;
  if (view.step !== undefined && view.step > 0) f += `&step=${view.step}`;
  if (view.layer !== undefined && view.layer !== 'direct-map') f += `&layer=${view.layer}`;
  return f;
}

export function parseSrcFragment(fragment: string): { url: string; view: ViewState } | null {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const url = params.get('src');
  if (!url) return null;
  const view: ViewState = { step: 0 };
  const step = Number(params.get('step'));
  if (Number.isInteger(step) && step > 0) view.step = step;
  const layer = params.get('layer');
  const known = MAP_LAYERS.find((l) => l === layer);
  if (known) view.layer = known;
  return { url, view };
}

/** A URL the app may fetch: absolute http(s) or relative to the page. */
export function checkSrcUrl(raw: string): { ok: true; url: string } | { ok: false; why: string } {
  const text = raw.trim();
  if (text === '') return { ok: false, why: 'enter the address of a scenario JSON file' };
  let u: URL;
  try {
    u = new URL(text, window.location.href);
  } catch {
    return { ok: false, why: `"${text}" is not a URL` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return { ok: false, why: `only http: and https: addresses can be loaded, not ${u.protocol}` };
  }
  return { ok: true, url: text };
}

function fail(url: string, title: string, messages: string[]): void {
  setSrcLink(null, { url, title, messages });
  // Keep whatever is loaded; open the default preset only when nothing is.
  if (getRun().source === null)
    void loadSource({ kind: 'preset', preset: DEFAULT_PRESET }, { step: 0 });
}

/** Open a `#src=` link: fetch the file, parse it, and load it as a scenario. */
export async function loadSrcFragment(fragment: string): Promise<void> {
  const parsed = parseSrcFragment(fragment);
  if (!parsed) {
    fail('', 'The link names no scenario file', ['#src= needs the address of a JSON file']);
    return;
  }
  const { url, view } = parsed;
  const checked = checkSrcUrl(url);
  if (!checked.ok) {
    fail(url, 'The scenario file could not be loaded', [checked.why]);
    return;
  }
  let bytes: ArrayBuffer | null;
  try {
    const r = await fetch(new URL(url, window.location.href), {
      credentials: 'omit',
      cache: 'no-cache',
    });
    if (!r.ok) {
      fail(url, 'The scenario file could not be loaded', [`the server answered ${r.status}`]);
      return;
    }
    const declared = Number(r.headers.get('content-length') ?? Number.NaN);
    if (declared > MAX_SCENARIO_BYTES) {
      void r.body?.cancel();
      fail(url, TOO_LARGE_SRC_TITLE, [tooLargeScenarioMessage(declared)]);
      return;
    }
    bytes = await readCapped(r, MAX_SCENARIO_BYTES);
  } catch (e) {
    // fetch() does not say why (an unreachable host, a refused port, CORS): name what is likely.
    fail(url, 'The scenario file could not be loaded', [
      `the request failed (${String(e)}): the server may be unreachable, or may not allow cross-origin requests (CORS)`,
    ]);
    return;
  }
  if (bytes === null) {
    fail(url, TOO_LARGE_SRC_TITLE, [tooLargeScenarioMessage(null)]);
    return;
  }
  // A recording or a Prometheus answer is a timeline, not a scenario (its head says which).
  if (
    looksLikeTimeline(new TextDecoder().decode(bytes.slice(0, 512))) &&
    openedAsTimeline(new TextDecoder().decode(bytes), url)
  )
    return;
  const opened = await getTools().openScenario(transfer(bytes, [bytes]), url);
  if (opened.kind !== 'scenario') {
    const errors = opened.kind === 'not-scenario' ? [] : opened.errors;
    if (opened.kind === 'refused' && opened.reason === 'not-json')
      fail(url, 'The file is not valid JSON', errors);
    else if (opened.kind === 'refused' && opened.reason === 'too-large')
      fail(url, TOO_LARGE_SRC_TITLE, errors);
    else fail(url, 'The file is not a valid Fracture scenario', errors);
    return;
  }
  const before = getRun().notices.length;
  // The session keeps this very object as its source; set before loading so the first URL
  // write after the load already keeps the short `#src=` form.
  const source: RunSource = { kind: 'scenario', scenario: opened.scenario };
  setSrcLink({ url, source });
  // A new link's view: what it does not give takes its default (not the previous run's).
  const ok = await loadSource(source, linkView(view));
  if (ok) {
    // What the worker's parse warned about (the default mix of a workload without profiles)
    // is no longer in the parsed scenario the engine ran: say it with the run's own warnings.
    if (opened.warnings.length > 0) addWarnings(opened.warnings);
    return;
  }
  // loadSource reported the schema errors as a generic notice; say where they come from.
  const added = getRun().notices.slice(before);
  for (const n of added) dismissNotice(n.id);
  fail(
    url,
    'The file is not a valid Fracture scenario',
    added.flatMap((n) => n.messages),
  );
}

/** The body, or null once it passes `cap` bytes (the rest is never read). */
async function readCapped(r: Response, cap: number): Promise<ArrayBuffer | null> {
  if (r.body === null) {
    const all = await r.arrayBuffer();
    return all.byteLength > cap ? null : all;
  }
  const reader = r.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      void reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out.buffer;
}
