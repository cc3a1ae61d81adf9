import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/scenario/index';
import { captionAt, captionStepFrom, withCaption, withoutCaption } from './captions';

const base = { version: 1, captions: [{ step: 4, text: 'four' }] } as unknown as Scenario;

describe('lecture captions', () => {
  it('adds a caption in step order and replaces one at the same step', () => {
    const s = withCaption(withCaption(base, 2, 'two'), 4, 'FOUR');
    expect(s.captions).toEqual([
      { step: 2, text: 'two' },
      { step: 4, text: 'FOUR' },
    ]);
  });
  it('removes the caption at a step only', () => {
    expect(withoutCaption(withCaption(base, 2, 'two'), 4).captions).toEqual([
      { step: 2, text: 'two' },
    ]);
  });
  it('walks captioned steps in both directions and stops at the ends', () => {
    const c = [
      { step: 1, text: 'a' },
      { step: 5, text: 'b' },
    ];
    expect(captionStepFrom(c, 0, 1)).toBe(1);
    expect(captionStepFrom(c, 1, 1)).toBe(5);
    expect(captionStepFrom(c, 5, 1)).toBeNull();
    expect(captionStepFrom(c, 3, -1)).toBe(1);
    expect(captionStepFrom(c, 1, -1)).toBeNull();
    expect(captionAt(c, 4)?.text).toBe('a');
    expect(captionAt(c, 0)).toBeNull();
  });
});
