/**
 * `#prom=<base URL>&query=…` links: ask a live Prometheus for /api/v1/query_range and open the
 * answer as a timeline (one instance) or a fleet (many). Prometheus does the distributed work;
 * Fracture only reads one answer. Optional parameters: `range` (seconds or 30m, 6h, 7d; default
 * 1h, ending now), `start` and `end` (Unix seconds or RFC 3339, passed to Prometheus as given),
 * `step` (default: the range over ~720 points, at least 1 s).
 *
 * The browser only lets the page read the answer if Prometheus allows its origin: start it with
 * --web.cors.origin='<regex matching this page's origin>' (docs/formats.md). The page's CSP
 * allows connect-src http: and https: (vite.config.ts), so any address the user gives works.
 * A failed request is retried without CORS (mode no-cors, an opaque answer the page cannot
 * read) only to tell "nothing answered" from "answered but refused this origin".
 */
import { DEFAULT_PRESET } from '../../src/scenario/index';
import { getRun, loadSource } from '../run/session';
import { openTimeline, showTimelineBusy, showTimelineError } from './state';

/** node_exporter's direct-map series (vmstat ones need --collector.vmstat.fields widened). */
export const DEFAULT_PROM_QUERY =
  '{__name__=~"node_memory_DirectMap.+_bytes|node_vmstat_direct_map_.+"}';

export function isPromFragment(fragment: string): boolean {
  return /^#?prom=/.test(fragment);
}

export interface PromRequest {
  base: string;
  query: string;
  start: string;
  end: string;
  step: string;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([smhdw]?)$/.exec(text.trim());
  if (!m) return null;
  const s = Number(m[1]) * (UNITS[m[2] || 's'] ?? 1);
  return s > 0 ? s : null;
}

/** The request a link asks for, or why it cannot be made. `nowSec` is the end by default. */
export function parsePromFragment(
  fragment: string,
  nowSec: number,
): { ok: true; req: PromRequest } | { ok: false; why: string } {
  const p = new URLSearchParams(fragment.replace(/^#/, ''));
  const base = (p.get('prom') ?? '').trim();
  if (base === '') return { ok: false, why: '#prom= needs the base URL of a Prometheus server' };
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return { ok: false, why: `"${base}" is not an absolute URL (such as http://127.0.0.1:9090)` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { ok: false, why: `only http: and https: servers can be asked, not ${u.protocol}` };
  const rangeText = p.get('range') ?? '1h';
  const range = parseDuration(rangeText);
  if (range === null)
    return { ok: false, why: `range=${rangeText} is not a duration (such as 3600, 30m, 6h, 7d)` };
  const end = p.get('end') ?? String(Math.floor(nowSec));
  const start = p.get('start') ?? String(Math.floor(Number(end) - range));
  if (!Number.isFinite(Number(start)) && p.get('start') === null)
    return { ok: false, why: 'give start= too when end= is not in Unix seconds' };
  const step = p.get('step') ?? String(Math.max(1, Math.ceil(range / 720)));
  return { ok: true, req: { base, query: p.get('query') || DEFAULT_PROM_QUERY, start, end, step } };
}

export function queryRangeUrl(req: PromRequest): string {
  const u = new URL('api/v1/query_range', req.base.endsWith('/') ? req.base : `${req.base}/`);
  u.search = new URLSearchParams({
    query: req.query,
    start: req.start,
    end: req.end,
    step: req.step,
  }).toString();
  return u.toString();
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

/** Open a `#prom=` link; the explorer behind stays as it is (the default preset if none). */
export async function openPromFragment(fragment: string): Promise<void> {
  if (getRun().source === null)
    void loadSource({ kind: 'preset', preset: DEFAULT_PRESET }, { step: 0 });
  const link = fragment.startsWith('#') ? fragment : `#${fragment}`;
  const parsed = parsePromFragment(fragment, Date.now() / 1000);
  if (!parsed.ok) {
    showTimelineError('#prom= link', 'The Prometheus link cannot be used', [parsed.why]);
    return;
  }
  const { req } = parsed;
  const name = `${new URL(req.base).host}: ${req.query}`;
  const url = queryRangeUrl(req);
  showTimelineBusy(name, `Asking ${req.base} for query_range…`, link);
  let r: Response;
  try {
    r = await fetch(url, { credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    const origin = window.location.origin;
    const messages = (await reachable(url))
      ? [
          `${req.base} answered, but does not let this page (${origin}) read the answer (CORS).`,
          `Start Prometheus with --web.cors.origin='${origin.replace(/[.]/g, '\\.')}' (a regular expression of the origins allowed), or '.*' on a private network.`,
        ]
      : [
          `Nothing answered at ${req.base} (${String(e)}): is Prometheus running, and is the address (scheme, host, port) right?`,
        ];
    showTimelineError(name, 'Prometheus could not be asked', messages);
    return;
  }
  const type = r.headers.get('content-type') ?? '';
  if (!r.ok && !type.includes('json')) {
    showTimelineError(name, 'Prometheus could not be asked', [
      `${req.base} answered ${r.status} ${r.statusText} to ${url}: is this the base URL of a Prometheus server (the one before /api/v1)?`,
    ]);
    return;
  }
  // An error answer (400 bad_data, 422 execution, 503 timeout) is JSON: the parser names it.
  await openTimeline(await r.blob(), name, link);
}
