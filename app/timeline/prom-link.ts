/**
 * The `#prom=` link's parameters and the query_range request they make (pure: no fetch, no DOM),
 * documented in docs/formats.md ("`#prom=` links"). prom.ts asks the server.
 */

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
