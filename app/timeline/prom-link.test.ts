import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROM_QUERY,
  isPromFragment,
  parseDuration,
  parsePromFragment,
  queryRangeUrl,
} from './prom-link';

const NOW = 1796290000;

describe('#prom= links', () => {
  it('needs only the base URL: the direct-map query over the last hour, ~720 points', () => {
    const r = parsePromFragment(`#prom=${encodeURIComponent('http://127.0.0.1:9090')}`, NOW);
    expect(r).toEqual({
      ok: true,
      req: {
        base: 'http://127.0.0.1:9090',
        query: DEFAULT_PROM_QUERY,
        start: String(NOW - 3600),
        end: String(NOW),
        step: '5',
      },
    });
    expect(isPromFragment('#prom=x')).toBe(true);
    expect(isPromFragment('#src=x')).toBe(false);
  });

  it('takes query, range, start, end and step as given', () => {
    const q = encodeURIComponent('node_memory_DirectMap4k_bytes{job="node"}');
    const r = parsePromFragment(
      `#prom=https%3A%2F%2Fprom.example%2Fprometheus&query=${q}&range=7d&step=300`,
      NOW,
    );
    expect(r.ok && r.req).toMatchObject({
      query: 'node_memory_DirectMap4k_bytes{job="node"}',
      step: '300',
    });
    expect(r.ok && Number(r.req.end) - Number(r.req.start)).toBe(7 * 86400);
    const url = r.ok ? new URL(queryRangeUrl(r.req)) : null;
    // A base with a path keeps it (Prometheus behind a proxy prefix).
    expect(url?.pathname).toBe('/prometheus/api/v1/query_range');
    expect(url?.searchParams.get('query')).toBe('node_memory_DirectMap4k_bytes{job="node"}');
    const abs = parsePromFragment(
      '#prom=http%3A%2F%2Fp%3A9090&start=2026-12-01T00:00:00Z&end=2026-12-02T00:00:00Z',
      NOW,
    );
    expect(abs.ok && [abs.req.start, abs.req.end]).toEqual([
      '2026-12-01T00:00:00Z',
      '2026-12-02T00:00:00Z',
    ]);
  });

  it('refuses what it cannot ask, saying why', () => {
    expect(parsePromFragment('#prom=', NOW)).toEqual({
      ok: false,
      why: '#prom= needs the base URL of a Prometheus server',
    });
    expect(parsePromFragment('#prom=localhost%3A9090x', NOW).ok).toBe(false);
    expect(parsePromFragment('#prom=ftp%3A%2F%2Fh', NOW)).toMatchObject({
      why: expect.stringContaining('only http: and https:'),
    });
    expect(parsePromFragment('#prom=http%3A%2F%2Fh&range=soon', NOW)).toMatchObject({
      why: expect.stringContaining('range=soon'),
    });
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('0')).toBeNull();
  });
});
