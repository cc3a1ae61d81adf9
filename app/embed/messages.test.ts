import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EMBED_OPTIONS,
  foldCommand,
  type IncomingMessage,
  MAX_GOTO_STEP,
  noCommands,
  type PendingOp,
  parseEmbedOptions,
  parseEmbedOrigins,
  parseIncoming,
  parseQuery,
  readyMessage,
  senderAllowed,
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
    const r = parseEmbedOptions(
      '?embed=1&controls=none&theme=dark&autoplay&caption=off&readonly&colour=cause',
    );
    expect(r).toEqual({
      options: {
        embed: true,
        controls: 'none',
        theme: 'dark',
        autoplay: true,
        caption: false,
        readonly: true,
        colour: 'cause',
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
    const c = parseEmbedOptions('color=rainbow');
    expect([c.options.colour, c.errors]).toEqual([
      null,
      ['color=rainbow: expected state or cause'],
    ]);
    expect(parseEmbedOptions('color=state').options.colour).toBe('state');
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

describe('rule: goto.step is bounded by the longest run a scenario can make (LIMITS.events)', () => {
  it.each([
    [MAX_GOTO_STEP, true],
    [MAX_GOTO_STEP + 1, false],
    [Number.MAX_SAFE_INTEGER, false],
    [1e308, false],
    [Number.POSITIVE_INFINITY, false],
  ])('step %d accepted: %s', (step, ok) => {
    const r = parseIncoming({ type: 'fracture:goto', step });
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason).toMatch(/step must be (at most 10,000,000|an integer)/);
  });
});

describe('rule: commands count only from the embedding parent, and from ?origin= when given (senderAllowed)', () => {
  const deck = 'https://slides.example';
  it.each([
    ['the parent, no allow-list', true, deck, null, true],
    ['the parent, listed origin', true, deck, [deck], true],
    ['the parent, origin not listed', true, 'https://evil.example', [deck], false],
    ['the parent, every listed entry was invalid', true, deck, [], false],
    ['a file:// parent listed as "null"', true, 'null', ['null'], true],
    ['an opener or sibling on the same origin', false, deck, null, false],
    ['an opener on a listed origin', false, deck, [deck], false],
    ['an unknown window', false, '', null, false],
  ] as const)('%s', (_who, fromParent, origin, allowed, ok) => {
    const r = senderAllowed(fromParent, origin, allowed === null ? null : [...allowed]);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
  });
});

describe('rule: ?origin= is a comma-separated list of origins; a bad entry is reported and never widens it (parseEmbedOrigins)', () => {
  it.each([
    ['', null, 0],
    ['?embed=1', null, 0],
    ['?origin=https://slides.example', ['https://slides.example'], 0],
    [
      '?origin=https://A.example/,%20http://127.0.0.1:8080',
      ['https://a.example', 'http://127.0.0.1:8080'],
      0,
    ],
    [
      '?origin=https://a.example&origin=https://b.example',
      ['https://a.example', 'https://b.example'],
      0,
    ],
    ['?origin=null', ['null'], 0],
    ['?origin=https://a.example/deck.html,https://b.example', ['https://b.example'], 1],
    ['?origin=*', [], 2],
    ['?origin=', [], 1],
  ])('%s', (search, origins, errors) => {
    const r = parseEmbedOrigins(search);
    expect(r.origins).toEqual(origins);
    expect(r.errors).toHaveLength(errors);
  });

  it('leaves the display options alone', () => {
    expect(parseEmbedOptions('?origin=https://a.example').errors).toEqual([]);
  });
});

describe('rule: folded commands mean what the same commands applied one by one mean (foldCommand)', () => {
  // A model of the store actions useDeckMessages applies (app/store.ts seek, stepBy, togglePlaying).
  interface Model {
    step: number;
    playing: boolean;
    max: number;
  }
  const clamp = (s: number, max: number) => Math.max(0, Math.min(max, s));
  const run = (m: Model, op: PendingOp): Model => {
    switch (op.kind) {
      case 'goto':
        return { ...m, playing: false, step: clamp(op.step, m.max) };
      case 'step':
        return { ...m, playing: false, step: clamp(m.step + op.delta, m.max) };
      case 'play':
        if (m.playing) return m;
        return m.step >= m.max ? { ...m, step: 0, playing: m.max > 0 } : { ...m, playing: true };
      case 'pause':
        return { ...m, playing: false };
    }
  };
  const asOp = (msg: IncomingMessage): PendingOp | null =>
    msg.type === 'fracture:goto'
      ? { kind: 'goto', step: msg.step }
      : msg.type === 'fracture:next'
        ? { kind: 'step', delta: 1 }
        : msg.type === 'fracture:prev'
          ? { kind: 'step', delta: -1 }
          : msg.type === 'fracture:play'
            ? { kind: 'play' }
            : msg.type === 'fracture:pause'
              ? { kind: 'pause' }
              : null;
  const command: fc.Arbitrary<IncomingMessage> = fc.oneof(
    fc.record({ type: fc.constant('fracture:goto' as const), step: fc.nat(12) }),
    fc.constant({ type: 'fracture:next' as const }),
    fc.constant({ type: 'fracture:next' as const }),
    fc.constant({ type: 'fracture:prev' as const }),
    fc.constant({ type: 'fracture:play' as const }),
    fc.constant({ type: 'fracture:pause' as const }),
    fc.record({
      type: fc.constant('fracture:setView' as const),
      layer: fc.constantFrom('rmp' as const, 'vmm' as const),
    }),
  );

  it('for any sequence, from any state', () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 40 }),
        fc.record({ step: fc.nat(9), playing: fc.boolean(), max: fc.nat(9) }),
        (msgs, start) => {
          const m0 = { ...start, step: Math.min(start.step, start.max) };
          const oneByOne = msgs.map(asOp).reduce<Model>((m, op) => (op ? run(m, op) : m), m0);
          const folded = msgs.reduce(foldCommand, noCommands());
          expect(folded.ops.reduce(run, m0)).toEqual(oneByOne);
          const views = msgs.filter((x) => x.type === 'fracture:setView');
          expect(folded.view?.layer).toBe(views.at(-1)?.layer);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('folds a flood of 200,000 nexts into one step', () => {
    const p = noCommands();
    for (let i = 0; i < 200_000; i++) foldCommand(p, { type: 'fracture:next' });
    expect(p.ops).toEqual([{ kind: 'step', delta: 200_000 }]);
  });
});
