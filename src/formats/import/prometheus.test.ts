import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFrec } from './frec';
import { parsePrometheus } from './prometheus';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

interface S {
  metric: Record<string, string>;
  values: [number, string][];
}
const answer = (result: S[], resultType = 'matrix') =>
  JSON.stringify({ status: 'success', data: { resultType, result } });
const series = (name: string, instance: string, values: [number, string][]): S => ({
  metric: { __name__: name, instance, job: 'node' },
  values,
});

describe('Prometheus query_range: node_exporter series as the kernel names them', () => {
  it('reads a real node_exporter 1.5 answer as the same values fracture-record.sh recorded', () => {
    const r = parsePrometheus(fixture('prometheus/query-range-this-host.json'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [tl] = r.value;
    expect(tl?.host).toBe('127.0.0.1:19100');
    expect(tl?.keys).toEqual([
      'DirectMap1G',
      'DirectMap2M',
      'DirectMap4k',
      'direct_map_level2_collapses',
      'direct_map_level2_splits',
      'direct_map_level3_collapses',
      'direct_map_level3_splits',
    ]);
    expect(tl?.samples.map((s) => s.t)).toEqual([0, 2, 4, 6, 8]);
    // The same VM recorded by fracture-record.sh the same morning: equal values under equal keys.
    const rec = parseFrec(fixture('frec/x86-this-host.frec'));
    expect(rec.ok && tl?.samples[0]?.values).toEqual(rec.ok && rec.value.samples[0]?.values);
  });

  it('turns node_memory_DirectMap*_bytes into kB and node_vmstat_direct_map_* into counts', () => {
    const text = answer([
      series('node_memory_DirectMap4k_bytes', 'a:9100', [
        [1796286600, '31457280'],
        [1796286900, '35651584'],
      ]),
      series('node_memory_DirectMap2M_bytes', 'a:9100', [
        [1796286600, '2116026368'],
        [1796286900, '2111832064'],
      ]),
      series('node_vmstat_direct_map_level2_splits', 'a:9100', [
        [1796286600, '5'],
        [1796286900, '7'],
      ]),
    ]);
    const r = parsePrometheus(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(1);
    const tl = r.value[0]!;
    expect(tl).toMatchObject({ source: 'prometheus', host: 'a:9100' });
    expect(tl.header).toEqual({ 'label.instance': 'a:9100', 'label.job': 'node' });
    expect(tl.keys).toEqual(['DirectMap4k', 'DirectMap2M', 'direct_map_level2_splits']);
    expect(tl.samples).toEqual([
      {
        t: 0,
        wall: 1796286600,
        values: { DirectMap4k: 30720, DirectMap2M: 2066432, direct_map_level2_splits: 5 },
      },
      {
        t: 300,
        wall: 1796286900,
        values: { DirectMap4k: 34816, DirectMap2M: 2062336, direct_map_level2_splits: 7 },
      },
    ]);
  });

  it('makes one timeline per instance, in the order the answer lists them', () => {
    const r = parsePrometheus(
      answer([
        series('node_memory_DirectMap4k_bytes', 'b:9100', [[10, '4096']]),
        series('node_memory_DirectMap4k_bytes', 'a:9100', [[10, '8192']]),
        series('node_memory_DirectMap1G_bytes', 'b:9100', [[10, '1073741824']]),
      ]),
    );
    expect(r.ok && r.value.map((t) => [t.host, t.samples[0]?.values])).toEqual([
      ['b:9100', { DirectMap4k: 4, DirectMap1G: 1048576 }],
      ['a:9100', { DirectMap4k: 8 }],
    ]);
  });

  it('merges series whose points are missing at some times (a failed scrape)', () => {
    const r = parsePrometheus(
      answer([
        series('node_memory_DirectMap4k_bytes', 'a', [
          [0, '4096'],
          [60, '4096'],
          [120, '8192'],
        ]),
        series('node_vmstat_direct_map_level2_splits', 'a', [
          [0, '1'],
          [120, '3'],
        ]),
      ]),
    );
    expect(r.ok && r.value[0]?.samples.map((s) => s.values)).toEqual([
      { DirectMap4k: 4, direct_map_level2_splits: 1 },
      { DirectMap4k: 4 },
      { DirectMap4k: 8, direct_map_level2_splits: 3 },
    ]);
  });

  it('keeps other series under their own name and reads fractional times, NaN and Inf', () => {
    const text =
      '{"status":"success","data":{"resultType":"matrix","result":[' +
      '{"metric":{"__name__":"node_load1","instance":"h\\"1"},"values":[[1.5,"0.25"],[2.25,"NaN"],[3,"+Inf"]]}]}}';
    const r = parsePrometheus(text);
    expect(r.ok && r.value[0]).toMatchObject({
      host: 'h"1',
      samples: [
        { t: 0, wall: 1.5, values: { node_load1: 0.25 } },
        { t: 0.75, wall: 2.25, values: { node_load1: Number.NaN } },
        { t: 1.5, wall: 3, values: { node_load1: Infinity } },
      ],
    });
  });

  it('reads pretty-printed JSON and members in any order, with Prometheus warnings passed on', () => {
    const text = JSON.stringify(
      {
        warnings: ['query is slow'],
        data: {
          result: [
            { values: [[5, '2048']], metric: { __name__: 'node_memory_DirectMap4k_bytes' } },
          ],
          resultType: 'matrix',
        },
        status: 'success',
      },
      null,
      2,
    );
    const r = parsePrometheus(text);
    expect(r.ok && r.value[0]?.samples).toEqual([{ t: 0, wall: 5, values: { DirectMap4k: 2 } }]);
    expect(r.ok && r.value[0]?.host).toBeNull();
    expect(r.warnings).toEqual(['Prometheus: query is slow']);
  });
});

describe('Prometheus query_range: an answer that is not a range is refused by name', () => {
  it.each([
    [
      'a real error answer',
      fixture('prometheus/error-bad-data.json'),
      'Prometheus answered with an error (bad_data): 1:31: parse error: unexpected end of input inside braces',
    ],
    [
      'a real instant query answer',
      fixture('prometheus/query-instant-vector.json'),
      'the answer is a vector, not a range',
    ],
    [
      'an error answer',
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:1: parse error"}',
      'Prometheus answered with an error (bad_data): invalid parameter "query": 1:1: parse error',
    ],
    [
      'an instant query (vector)',
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"2"]}]}}',
      'the answer is a vector, not a range',
    ],
    ['an empty result', answer([]), 'the answer holds no series'],
    [
      'JSON cut short',
      answer([series('node_memory_DirectMap4k_bytes', 'a', [[1, '4096']])]).slice(0, 120),
      /^not a Prometheus answer: .* at byte \d+$/,
    ],
    [
      'a value that is not a number',
      answer([series('node_memory_DirectMap4k_bytes', 'a', [[1, 'lots']])]),
      /"lots" is not a number/,
    ],
    ['some other JSON', '{"hello":"world"}', 'not a Prometheus answer: status is missing'],
    ['not JSON at all', 'DirectMap4k: 4 kB', /^not a Prometheus answer: expected a JSON object/],
  ])('%s', (_name, text, message) => {
    const r = parsePrometheus(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toMatch(message);
  });
});

describe('Prometheus query_range: numbers read in place equal Number()', () => {
  it('for any time and value string Prometheus prints (fast-check, seed printed on failure)', () => {
    const value = fc.oneof(
      fc.maxSafeNat().map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.constantFrom('NaN', '+Inf', '-Inf', '0', '1e+21'),
    );
    const time = fc.oneof(fc.maxSafeNat(), fc.double({ min: 0, max: 4e9, noNaN: true }));
    fc.assert(
      fc.property(time, value, (t, v) => {
        const r = parsePrometheus(answer([series('node_load1', 'a', [[t, v]])]));
        const got = r.ok ? r.value[0]?.samples[0] : undefined;
        const want = v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v);
        return got?.wall === t && Object.is(got.values.node_load1, want);
      }),
    );
  });
});
