import { describe, expect, it } from 'vitest';
import { CELL_PAGETABLE, CELL_SEQUESTER } from '../src/worker/protocol';
import { paletteFor, parseTokens } from './map/palette';
import tokens from './tokens.css?raw';

describe('design tokens (app/tokens.css) read by the canvas palette (app/map/palette.ts)', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`tokens.css defines every token the palette reads (${theme})`, () => {
      expect(() => parseTokens(tokens, theme)).not.toThrow();
    });

    it(`the map's background, ink and accent are the page's --surface, --fg and --accent (${theme})`, () => {
      const t = parseTokens(tokens, theme);
      const p = paletteFor(theme);
      expect([p.background, p.ink, p.accent]).toEqual([t['--surface'], t['--fg'], t['--accent']]);
    });
  }

  // palette.ts: page tables in Okabe–Ito orange, sequestered memory in yellow, in either theme
  // (the dark block leaves them to the light one).
  it('page tables and sequestered memory keep one colour across themes', () => {
    const light = paletteFor('light');
    const dark = paletteFor('dark');
    for (const state of [CELL_PAGETABLE, CELL_SEQUESTER])
      expect(dark.css[state]).toBe(light.css[state]);
    expect(light.css[CELL_PAGETABLE]).toBe('rgb(230 159 0)');
  });
});
