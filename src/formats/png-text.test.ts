import { unzlibSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  crc32,
  insertPngText,
  LINK_KEYWORD,
  linkTexts,
  readChunks,
  readPngLink,
  readPngText,
  utf8Decode,
  utf8Encode,
} from './png-text';

/** A minimal valid RGB PNG (8-bit, filter 0 on every row), built from the spec. */
function tinyPng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
    out.set(data, 8);
    dv.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw.set(rgb, y * (1 + width * 3) + 1 + x * 3);
  const parts = [
    Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const LINK = 'https://fracture.example/#preset=thread-2021&step=4&layer=rmp';

describe('PNG text chunks', () => {
  it('computes the standard CRC-32 (check value of "123456789" and of IEND)', () => {
    expect(crc32(Uint8Array.from('123456789', (c) => c.charCodeAt(0)))).toBe(0xcbf43926);
    expect(crc32(Uint8Array.from('IEND', (c) => c.charCodeAt(0)))).toBe(0xae426082);
  });

  it('inserts the link before IEND with valid CRCs and keeps the image intact', () => {
    const png = tinyPng(3, 2, [10, 20, 30]);
    const out = insertPngText(png, linkTexts(LINK, 'step 4 of 9'));
    const r = readChunks(out);
    if (!r.ok) throw new Error(r.reason);
    expect(r.chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'tEXt', 'tEXt', 'tEXt', 'IEND']);
    expect(r.chunks.every((c) => c.crcOk)).toBe(true);
    const idat = r.chunks.find((c) => c.type === 'IDAT')!;
    expect(Array.from(unzlibSync(idat.data).subarray(1, 4))).toEqual([10, 20, 30]);
    expect(readPngLink(out)).toBe(LINK);
    expect(readPngText(out)).toEqual({
      ok: true,
      texts: [
        { keyword: LINK_KEYWORD, text: LINK },
        { keyword: 'Source', text: `Fracture ${LINK}` },
        { keyword: 'Comment', text: 'step 4 of 9' },
      ],
    });
    // The original bytes are untouched and still come first.
    expect(out.subarray(0, png.length - 12)).toEqual(png.subarray(0, png.length - 12));
  });

  it('writes text outside Latin-1 as iTXt (UTF-8) and reads it back', () => {
    const title = 'Scenario → 2M split ✓ 😀';
    const out = insertPngText(tinyPng(1, 1, [0, 0, 0]), [{ keyword: 'Title', text: title }]);
    const r = readChunks(out);
    expect(r.ok && r.chunks.map((c) => c.type)).toContain('iTXt');
    expect(readPngText(out)).toEqual({ ok: true, texts: [{ keyword: 'Title', text: title }] });
  });

  it('skips a chunk whose CRC is wrong', () => {
    const out = insertPngText(tinyPng(1, 1, [0, 0, 0]), [{ keyword: LINK_KEYWORD, text: LINK }]);
    const r = readChunks(out);
    if (!r.ok) throw new Error(r.reason);
    const t = r.chunks.find((c) => c.type === 'tEXt')!;
    out[t.offset + 10]! ^= 1;
    expect(readPngLink(out)).toBeNull();
  });

  it('says why input is not a PNG, and refuses bad keywords', () => {
    expect(readPngText(Uint8Array.of(1, 2, 3))).toMatchObject({ ok: false, reason: /signature/ });
    const png = tinyPng(1, 1, [0, 0, 0]);
    expect(readPngText(png.subarray(0, png.length - 6))).toMatchObject({ ok: false });
    expect(() => insertPngText(Uint8Array.of(0), [])).toThrow(RangeError);
    expect(() => insertPngText(png, [{ keyword: ' bad', text: 'x' }])).toThrow(/keyword/);
    expect(() => insertPngText(png, [{ keyword: 'x'.repeat(80), text: 'x' }])).toThrow(/keyword/);
  });

  it('round-trips UTF-8 and replaces invalid sequences', () => {
    for (const s of ['', 'ascii', 'é', '→', '😀', 'a\u0000b'])
      expect(utf8Decode(utf8Encode(s))).toBe(s);
    expect(utf8Decode(Uint8Array.of(0xff, 0x41, 0xe2, 0x86))).toBe('\ufffdA\ufffd\ufffd');
  });
});
