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
import { parsePromFragment, queryRangeUrl } from './prom-link';
import { openTimeline, showTimelineBusy, showTimelineError } from './state';

export { isPromFragment } from './prom-link';

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
