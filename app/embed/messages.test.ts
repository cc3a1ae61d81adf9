import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EMBED_OPTIONS,
  parseEmbedOptions,
  parseIncoming,
  parseQuery,
  readyMessage,
  shouldCaptureKey,
  stepChangedMessage,
} from './messages';

describe('parseIncoming: the commands a deck may send', () => {
  it('accepts every documented command', () => {
    const ok = [
      { type: 'fracture:goto', step: 0 },
      { type: 'fracture:goto', step: 12 },
      { type: 'fracture:next' },
      { type: 'fracture:prev' },
      { type: 'fracture:play' },
      { type: 'fracture:pause' },
      { type: 'fracture:setView' },
      {
        type: 'fracture:setView',
        layer: 'rmp',
        zoom: { start: 0, end: 2 ** 40 },
        sel: 0x4a205,
        theme: 'dark',
      },
      { type: 'fracture:setView', cmpView: 'side' },
      { type: 'fracture:setView', cmpView: 'diff', layer: 'vmm' },
    ];
    for (const m of ok) expect(parseIncoming(m), JSON.stringify(m)).toEqual({ ok: true, msg: m });
  });

  it('ignores, without a reason worth logging, whatever is not a fracture message', () => {
    for (const d of [
      null,
      undefined,
      42,
      'fracture:next',
      '{"namespace":"reveal","eventName":"slidechanged"}',
      [],
      [{ type: 'fracture:next' }],
      {},
      { type: 7 },
      { type: 'reveal:slidechanged' },
      { type: 'FRACTURE:next' },
    ]) {
      expect(parseIncoming(d)).toEqual({ ok: false, reason: 'not-fracture' });
    }
  });

  it('rejects unknown fracture types and malformed payloads with a reason', () => {
    const bad: [unknown, RegExp][] = [
      [{ type: 'fracture:ready', step: 0, steps: 3 }, /unknown message type.*accepted/],
      [{ type: 'fracture:eval', code: 'x' }, /unknown message type/],
      [{ type: 'fracture:goto' }, /step/],
      [{ type: 'fracture:goto', step: -1 }, /step must be 0 or more/],
      [{ type: 'fracture:goto', step: 1.5 }, /integer/],
      [{ type: 'fracture:goto', step: '3' }, /step must be a number/],
      [{ type: 'fracture:goto', step: Number.NaN }, /step/],
      [{ type: 'fracture:next', extra: 1 }, /extra/],
      [{ type: 'fracture:setView', layer: 'heat' }, /layer must be one of/],
      [{ type: 'fracture:setView', zoom: { start: 5, end: 5 } }, /zoom/],
      [{ type: 'fracture:setView', theme: 'blue' }, /theme/],
      [{ type: 'fracture:setView', zom: { start: 0, end: 1 } }, /zom/],
      [{ type: 'fracture:setView', cmpView: 'overlay' }, /cmpView must be diff or side/],
    ];
    for (const [d, re] of bad) {
      const r = parseIncoming(d);
      expect(r.ok, JSON.stringify(d)).toBe(false);
      if (!r.ok) {
        expect(r.reason).not.toBe('not-fracture');
        expect(r.reason).toMatch(re);
      }
    }
  });

  it('never throws, whatever it is given', () => {
    const hostile = {
      get type(): string {
        throw new Error('boom');
      },
    };
    expect(parseIncoming(hostile)).toEqual({ ok: false, reason: 'not-fracture' });
    const proxy = new Proxy(
      { type: 'fracture:goto' },
      {
        get(t, k) {
          if (k === 'step') throw new Error('boom');
          return Reflect.get(t, k);
        },
      },
    );
    expect(parseIncoming(proxy).ok).toBe(false);
    fc.assert(
      fc.property(fc.anything(), (d) => {
        parseIncoming(d);
        parseIncoming({ type: 'fracture:setView', layer: d, zoom: d });
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('builds the outgoing messages', () => {
    expect(readyMessage(0, 9)).toEqual({ type: 'fracture:ready', step: 0, steps: 9 });
    const compare = {
      a: { kernel: 'rfc-2021', backing: 'thp' },
      b: { kernel: 'upstream-2024', backing: 'thp' },
      view: 'diff' as const,
    };
    // A compare embed adds a field; the single embed's message keeps its exact shape.
    expect(readyMessage(2, 9, compare)).toEqual({
      type: 'fracture:ready',
      step: 2,
      steps: 9,
      compare,
    });
    expect(stepChangedMessage(4)).toEqual({ type: 'fracture:stepchanged', step: 4 });
  });
});

describe('parseEmbedOptions', () => {
  it('defaults to a non-embedded view with mini controls and captions', () => {
    expect(parseEmbedOptions('')).toEqual({ options: DEFAULT_EMBED_OPTIONS, errors: [] });
  });

  it('reads every option, as flags or with values', () => {
    const r = parseEmbedOptions('?embed=1&controls=none&theme=dark&autoplay&caption=off&readonly');
    expect(r).toEqual({
      options: {
        embed: true,
        controls: 'none',
        theme: 'dark',
        autoplay: true,
        caption: false,
        readonly: true,
      },
      errors: [],
    });
    expect(parseEmbedOptions('embed&autoplay=1&caption=on').options).toMatchObject({
      embed: true,
      autoplay: true,
      caption: true,
    });
    expect(parseEmbedOptions({ embed: '1', controls: 'full' }).options.controls).toBe('full');
  });

  it('ignores parameters it does not own', () => {
    expect(parseEmbedOptions('utm_source=lwn&embed=1').errors).toEqual([]);
  });

  it('reports bad values and keeps the defaults', () => {
    const r = parseEmbedOptions('controls=maxi&theme=solarized&autoplay=sometimes&embed=%E0%A4%A');
    expect(r.options.controls).toBe('mini');
    expect(r.options.theme).toBeNull();
    expect(r.options.autoplay).toBe(false);
    expect(r.errors).toHaveLength(4);
    expect(r.errors[0]).toMatch(/controls=maxi: expected none, mini or full/);
    expect(r.errors[1]).toMatch(/theme=solarized: expected light or dark/);
  });

  it('decodes a query like URLSearchParams', () => {
    expect(parseQuery('?a=1&b&c=x%20y+z&&d=')).toEqual([
      ['a', '1'],
      ['b', ''],
      ['c', 'x y z'],
      ['d', ''],
    ]);
  });
});

describe('shouldCaptureKey: the presenter keeps the clicker keys', () => {
  const presenter = ['PageUp', 'PageDown', 'ArrowLeft', 'ArrowRight', 'b', 'B', '.', ' '];
  it('leaves clicker keys to the deck until the audience clicks into the embed', () => {
    for (const k of presenter) {
      expect(shouldCaptureKey(k, false), k).toBe(false);
      expect(shouldCaptureKey(k, true), k).toBe(true);
    }
  });
  it('takes its own keys either way', () => {
    expect(shouldCaptureKey('l', false)).toBe(true);
    expect(shouldCaptureKey('Enter', false)).toBe(true);
  });
});
