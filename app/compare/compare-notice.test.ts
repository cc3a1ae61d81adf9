import { describe, expect, it } from 'vitest';
import { compareNotice } from './compare-notice';

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
