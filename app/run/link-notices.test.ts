import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../../src/worker/protocol';
import { compareNotice, fragmentNotice, stepPastEnd } from './link-notices';

const loaded = (repairs: string[]): LoadResult => ({
  ok: true,
  errors: [],
  repairs,
  view: {},
  info: null,
});

describe('fragmentNotice', () => {
  it('says nothing for a link that needed nothing', () => {
    expect(fragmentNotice('#preset=thread-2021&step=3', loaded([]))).toBeNull();
  });

  it('names a preset that was not found and what is shown instead, in one line', () => {
    const n = fragmentNotice(
      '#preset=nope',
      loaded([
        'preset: found "nope"; allowed: a preset name: thread-2021, linux-boot-64g',
        'the link could not be used: opened the default preset "thread-2021" instead',
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
      '#preset=thread-2021&step=99999&kernel=bogus',
      loaded([
        'parameter kernel="bogus": not one of rfc-2021, no-snp, ignored',
        'parameter step=99999: the run has 9 steps; opened at its last step',
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
      '#v=2&s=abc',
      loaded([
        'v: found "2"; allowed: a link format version up to 1 (…)',
        's: found "abc"; allowed: deflate data',
        'the link could not be used: opened the default preset "thread-2021" instead',
      ]),
    );
    expect(n?.title).toBe('This link could not be loaded, so the default scenario is shown');
    expect(n?.brief).toMatch(/shown: v: found "2"/);
  });
});

describe('compareNotice', () => {
  const b = { kernel: 'upstream-2024', backing: 'thp' } as const;

  it('says nothing for good compare parameters', () => {
    expect(compareNotice('?cmpKernel=rfc-2021&cmpBacking=thp&cmpView=side', b)).toBeNull();
  });

  it('names each unknown value and what B is instead, before the list of names', () => {
    const n = compareNotice('?cmpKernel=bogus&cmpBacking=zz&cmpView=zzz', b);
    expect(n?.messages).toEqual([
      expect.stringMatching(
        /^parameter cmpKernel="bogus": not a kernel design, so B runs under upstream-2024 \(one of rfc-2021, /,
      ),
      expect.stringMatching(
        /^parameter cmpBacking="zz": not a guest backing, so B uses thp backing/,
      ),
      'parameter cmpView="zzz": not a compare view, so the difference map is shown (one of diff, side)',
    ]);
    expect(n?.brief).toMatch(/^This compare link needed repairs: parameter cmpKernel="bogus"/);
  });

  it('an empty value is not a value', () => {
    expect(compareNotice('?cmpKernel=', b)?.messages[0]).toMatch(/cmpKernel="": not a kernel/);
  });
});

it('stepPastEnd reads like the engine’s own step repair', () => {
  expect(stepPastEnd(99_999, 1234)).toBe(
    'parameter step=99999: the run has 1,234 steps; opened at its last step',
  );
});
