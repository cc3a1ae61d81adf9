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

  // WCAG 2.2 1.4.3: small text (the 11–12 px labels, counters' units, log indices) needs 4.5:1
  // against every surface it sits on.
  const luminance = (hex: string) => {
    const v = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
    const [r, g, b] = v.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  };
  for (const theme of ['light', 'dark'] as const)
    it(`small text (--muted, --faint) is at least 4.5:1 on --bg, --surface and --surface-2 (${theme})`, () => {
      const css = tokens.replace(/\/\*[\s\S]*?\*\//g, '');
      const block = theme === 'light' ? css.split(':root[data-theme="dark"]')[0]! : css;
      const read = (name: string) => {
        const all = [...block.matchAll(new RegExp(`${name}:\\s*(#[0-9a-f]{6})`, 'gi'))];
        return all[all.length - 1]![1]!;
      };
      for (const fg of ['--muted', '--faint'])
        for (const bg of ['--bg', '--surface', '--surface-2'])
          expect(contrast(read(fg), read(bg)), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    });
});
