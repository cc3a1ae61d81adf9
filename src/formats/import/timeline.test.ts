import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_CHARS } from './common';
import { detectFormat, importText, importTimeline } from './index';
import { timelineColumns } from './timeline';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('timelines in detection and importText', () => {
  it.each([
    ['frec/x86-this-host.frec', 'frec'],
    ['frec/x86-cut-mid-line.frec', 'frec'],
    ['prometheus/query-range-this-host.json', 'prometheus'],
    ['prometheus/error-bad-data.json', 'prometheus'],
  ])('recognises %s as %s', (name, format) => {
    expect(detectFormat(fixture(name)).format).toBe(format);
  });

  it('importTimeline gives one timeline for a recording and one per instance for Prometheus', () => {
    const a = importTimeline(fixture('frec/arm64-keys.frec'));
    const b = importTimeline(fixture('prometheus/query-range-this-host.json'));
    expect(a.ok && a.timelines.map((t) => t.source)).toEqual(['frec']);
    expect(b.ok && b.timelines.map((t) => t.host)).toEqual(['127.0.0.1:19100']);
  });

  it('importTimeline passes a Prometheus error answer on as the error', () => {
    const r = importTimeline(fixture('prometheus/error-bad-data.json'));
    expect(!r.ok && r.errors[0]?.message).toMatch(
      /^Prometheus answered with an error \(bad_data\)/,
    );
  });

  it('importText says a recording is a timeline rather than misreading it as a snapshot', () => {
    const r = importText(fixture('frec/x86-this-host.frec'));
    expect(r).toMatchObject({
      ok: false,
      detection: { format: 'frec' },
      errors: [{ message: 'a timeline of 4 sample(s), not one snapshot' }],
    });
  });

  it('a recording over the 64 MiB limit of a dump is still read (a week of 1 s samples is ~120 MB)', () => {
    const line = 'sample t=0 wall=1 DirectMap4k=30720 DirectMap2M=2066432 DirectMap1G=25165824\n';
    const text = `# fracture-record 1\n${line.repeat(Math.ceil(MAX_INPUT_CHARS / line.length) + 1)}`;
    const r = importTimeline(text);
    expect(r.ok && r.timelines[0]!.samples.length).toBeGreaterThan(800_000);
  });
});

describe('timelineColumns', () => {
  it('gives one array per key with NaN where a sample lacks it (a failed scrape)', () => {
    const r = importTimeline(
      '# fracture-record 1\nsample t=0 wall=10 DirectMap4k=4 direct_map_level2_splits=1\nsample t=1 wall=11 DirectMap4k=8\n',
    );
    if (!r.ok) throw new Error('import failed');
    const c = timelineColumns(r.timelines[0]!);
    expect(c.keys).toEqual(['DirectMap4k', 'direct_map_level2_splits']);
    expect([...c.t]).toEqual([0, 1]);
    expect([...c.wall]).toEqual([10, 11]);
    expect([...c.values[0]!]).toEqual([4, 8]);
    expect([...c.values[1]!]).toEqual([1, Number.NaN]);
  });
});
