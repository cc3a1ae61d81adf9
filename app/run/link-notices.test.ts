import { describe, expect, it } from 'vitest';
import type { LoadResult, Repair } from '../../src/worker/protocol';
import {
  asCurrentVersion,
  fragmentNotice,
  fragmentNotices,
  LINK_REPAIRED_TITLE,
  notLoadedTitle,
  OLDER_MODEL_TITLE,
  REPAIRED_TITLE,
  repairNotices,
  thenRows,
  WARNINGS_TITLE,
} from './link-notices';

const loaded = (repairs: Repair[]): LoadResult => ({
  ok: true,
  errors: [],
  repairs,
  view: {},
  info: null,
  source: null,
});
const repaired = (text: string): Repair => ({ code: 'link-repaired', text });

describe('fragmentNotice', () => {
  it('says nothing for a link that needed nothing', () => {
    expect(fragmentNotice(loaded([]))).toBeNull();
  });

  it('names a preset that was not found and what is shown instead, in one line', () => {
    const n = fragmentNotice(
      loaded([
        {
          code: 'preset-unknown',
          text: 'preset: found "nope"; allowed: a preset name: thread-2021, linux-boot-64g',
          value: 'nope',
        },
        {
          code: 'link-unusable',
          text: 'the link could not be used: opened the default preset "thread-2021" instead',
        },
      ]),
    );
    expect(n?.tone).toBe('error');
    expect(n?.brief).toBe(
      'The link\'s preset "nope" was not found, so the default scenario (thread-2021) is shown',
    );
    expect(n?.messages).toHaveLength(2);
  });

  it('a repaired link: the title and its first repair in one line, all of them listed', () => {
    const n = fragmentNotice(
      loaded([
        repaired('parameter kernel="bogus": not one of rfc-2021, no-snp, ignored'),
        {
          code: 'step-past-end',
          text: 'parameter step=99999: the run has 9 steps; opened at its last step',
        },
      ]),
    );
    expect(n?.tone).toBe('warning');
    expect(n?.brief).toBe(
      'This link needed repairs to load: parameter kernel="bogus": not one of rfc-2021, no-snp, ignored (and 1 more)',
    );
    expect(n?.messages).toContain(
      'parameter step=99999: the run has 9 steps; opened at its last step',
    );
  });

  it('an unusable scenario link falls back with the general title', () => {
    const n = fragmentNotice(
      loaded([
        { code: 'link-invalid', text: 'v: found "2"; allowed: a link format version up to 1 (…)' },
        { code: 'link-invalid', text: 's: found "abc"; allowed: deflate data' },
        {
          code: 'link-unusable',
          text: 'the link could not be used: opened the default preset "thread-2021" instead',
        },
      ]),
    );
    expect(n?.title).toBe('This link could not be loaded, so the default scenario is shown');
    expect(n?.brief).toMatch(/shown: v: found "2"/);
  });
});

it('repairNotices: a view step past the end reads like the engine’s own step repair', () => {
  const r = { ...loaded([]), info: { steps: 1234 } as LoadResult['info'] };
  expect(repairNotices(r, 99_999).map((n) => n.messages)).toEqual([
    ['parameter step=99999: the run has 1,234 steps; opened at its last step'],
  ]);
  expect(repairNotices(r, 1000)).toEqual([]);
});

it('repairNotices: warnings and repairs are different notices (issue 16)', () => {
  const warning: Repair = {
    code: 'scenario-warning',
    text: 'workload.profiles: missing; using the default mix linux-boot (weight 1) and virtio-io (weight 1)',
  };
  const only = repairNotices(loaded([warning]), undefined);
  expect(only.map((n) => [n.tone, n.title])).toEqual([['note', WARNINGS_TITLE]]);
  expect(only[0]?.messages).toEqual([warning.text]);
  const r = { ...loaded([warning]), info: { steps: 10 } as LoadResult['info'] };
  const both = repairNotices(r, 99);
  expect(both.map((n) => n.title)).toEqual([WARNINGS_TITLE, REPAIRED_TITLE]);
  expect(both[1]?.messages).toEqual([
    'parameter step=99: the run has 10 steps; opened at its last step',
  ]);
});

it('a repair is classified by its code, never by its words', () => {
  const words = 'the link could not be used: opened the default preset "thread-2021" instead';
  expect(fragmentNotice(loaded([repaired(words)]))?.tone).toBe('warning');
  expect(fragmentNotice(loaded([{ code: 'link-unusable', text: 'x' }]))?.tone).toBe('error');
});

describe('link versions (issues 14 and 16)', () => {
  const unusable: Repair = {
    code: 'link-unusable',
    text: 'the link could not be used: opened the default preset "thread-2021" instead',
  };
  it.each([
    // [rule, repairs, tone, title, has Try anyway]
    [
      'an older model alone is a warning titled as such',
      [{ code: 'model-changed', text: 'This link was made with model version 1; …' } as Repair],
      'warning',
      /^This link was made with an older model$/,
      false,
    ],
    [
      'a newer link format is refused with Try anyway',
      [{ code: 'link-newer', text: 'v: found "99"; …', value: '99' } as Repair, unusable],
      'error',
      /newer Fracture \(link format version 99\), so it was not run/,
      true,
    ],
    [
      'a link that could not be used is kept in the notice',
      [{ code: 'link-invalid', text: 's: the scenario data looks cut short' } as Repair, unusable],
      'error',
      /could not be loaded/,
      false,
    ],
  ] as const)('%s', (_, repairs, tone, title, tryAnyway) => {
    const fragment = '#v=99&s=abc&step=2';
    const n = fragmentNotice(loaded([...repairs]), fragment);
    expect(n?.tone).toBe(tone);
    expect(n?.title).toMatch(title);
    if (tone === 'error') expect(n?.link).toBe(fragment);
    expect(n?.action !== undefined).toBe(tryAnyway);
    if (tryAnyway)
      expect(n?.action).toEqual({ label: 'Try anyway', fragment: '#v=2&s=abc&step=2' });
  });

  it("Try anyway loads the link as this build's format version", () => {
    expect(asCurrentVersion('#s=x&v=99&m=3')).toBe('#s=x&v=2&m=3');
  });
});

describe('each notice under its own heading (issue 17 gaps)', () => {
  const changed: Repair = {
    code: 'model-changed',
    text: 'This link was made with model version 1; the model has changed since: x.',
    value: '2048-1046528-0',
  };
  it('repairs and an older model are two notices, each with its own title', () => {
    const n = fragmentNotices(
      loaded([repaired('parameter zoom="x": not a range, ignored'), changed]),
    );
    expect(n.map((x) => x.title)).toEqual([LINK_REPAIRED_TITLE, OLDER_MODEL_TITLE]);
    expect(n[0]?.messages).toEqual(['parameter zoom="x": not a range, ignored']);
    expect(n[1]?.messages).toEqual([changed.text]);
  });

  it('a link that did not run (too many events) claims no older model and repeats no error', () => {
    const error =
      'the scenario has 3,000,000 events; the browser runs at most 2,000,000 — run it with the CLI (npm run sim -- run <file>)';
    const r: LoadResult = { ...loaded([changed]), ok: false, errors: [error] };
    expect(fragmentNotices(r)).toEqual([]);
    expect(notLoadedTitle([error])).toMatch(/too many events to run in the browser/);
    expect(notLoadedTitle(['something else'])).toMatch(/^The link could not be loaded/);
  });

  it('recorded counters become then-and-now rows, today’s column filled later', () => {
    const n = fragmentNotices(loaded([changed]))[0];
    expect(n?.thenNow).toEqual([
      { counter: 'DirectMap4k', recorded: 2048, today: null },
      { counter: 'DirectMap2M', recorded: 1046528, today: null },
      { counter: 'DirectMap1G', recorded: 0, today: null },
    ]);
    expect(thenRows('not-counters')).toBeNull();
  });
});
