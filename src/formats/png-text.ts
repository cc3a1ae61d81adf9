/**
 * Text metadata in PNG files, so an exported image carries its share link and can be reopened
 * live (PNG spec, 3rd ed., §11.3.3: tEXt, iTXt). Pure byte work on Uint8Array, no DOM.
 *
 * Chunk layout (§5.3): 4-byte big-endian length, 4-byte type, data, CRC-32 over type and data
 * (the ISO 3309 / zlib polynomial 0xEDB88320, reflected). Text chunks may sit anywhere between
 * IHDR and IEND; we insert them right before IEND. tEXt holds Latin-1 only, so text outside
 * Latin-1 goes into an uncompressed iTXt chunk (UTF-8).
 */

export const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

/** The keyword Fracture reads back; "Source" and "Comment" are standard keywords (§11.3.3.2). */
export const LINK_KEYWORD = 'fracture:link';

export interface PngText {
  keyword: string;
  text: string;
}

let crcTable: Uint32Array | null = null;

function table(): Uint32Array {
  if (crcTable) return crcTable;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  crcTable = t;
  return t;
}

/** CRC-32 of bytes (PNG spec Annex D). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = table();
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32 = (b: Uint8Array, i: number) =>
  ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

function putU32(b: Uint8Array, i: number, x: number): void {
  b[i] = (x >>> 24) & 0xff;
  b[i + 1] = (x >>> 16) & 0xff;
  b[i + 2] = (x >>> 8) & 0xff;
  b[i + 3] = x & 0xff;
}

const typeOf = (b: Uint8Array, i: number) =>
  String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);

export interface PngChunk {
  type: string;
  /** Offset of the chunk's length field. */
  offset: number;
  /** Data bytes (a view into the file). */
  data: Uint8Array;
  crcOk: boolean;
}

/** The chunks of a PNG, or why it is not one. */
export function readChunks(
  png: Uint8Array,
): { ok: true; chunks: PngChunk[] } | { ok: false; reason: string } {
  if (png.length < 8 || PNG_SIGNATURE.some((x, i) => png[i] !== x)) {
    return { ok: false, reason: 'not a PNG file (the 8-byte signature is missing)' };
  }
  const chunks: PngChunk[] = [];
  let i = 8;
  while (i < png.length) {
    if (i + 12 > png.length) return { ok: false, reason: `truncated chunk header at byte ${i}` };
    const len = u32(png, i);
    const type = typeOf(png, i + 4);
    if (i + 12 + len > png.length)
      return { ok: false, reason: `chunk ${type} at byte ${i} is truncated` };
    const data = png.subarray(i + 8, i + 8 + len);
    const crcOk = crc32(png, i + 4, i + 8 + len) === u32(png, i + 8 + len);
    chunks.push({ type, offset: i, data, crcOk });
    i += 12 + len;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') return { ok: false, reason: 'the first chunk is not IHDR' };
  if (chunks[chunks.length - 1]?.type !== 'IEND') return { ok: false, reason: 'no IEND chunk' };
  return { ok: true, chunks };
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/** UTF-8 without TextEncoder (not in the engine's ES2022 lib). */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

export function utf8Decode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const x = b[i]!;
    const n = x < 0x80 ? 0 : x >= 0xf8 ? -1 : x >= 0xf0 ? 3 : x >= 0xe0 ? 2 : x >= 0xc0 ? 1 : -1;
    let c = n <= 0 ? x : x & (0x3f >> n);
    let ok = n >= 0 && i + n < b.length;
    for (let k = 1; ok && k <= n; k++) {
      const y = b[i + k]!;
      ok = (y & 0xc0) === 0x80;
      c = c * 64 + (y & 63);
    }
    if (!ok || c > 0x10ffff) {
      s += '\ufffd';
      i++;
      continue;
    }
    s += String.fromCodePoint(c);
    i += n + 1;
  }
  return s;
}

const latin1 = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
function fromLatin1(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/** A keyword is 1–79 printable Latin-1 characters, no leading, trailing or double spaces. */
export function validKeyword(k: string): boolean {
  return (
    k.length >= 1 &&
    k.length <= 79 &&
    /^[\x20-\x7e\xa1-\xff]+$/.test(k) &&
    !k.startsWith(' ') &&
    !k.endsWith(' ') &&
    !k.includes('  ')
  );
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  putU32(out, 0, data.length);
  out.set(latin1(type), 4);
  out.set(data, 8);
  putU32(out, 8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** tEXt when the text is Latin-1 without NUL, else uncompressed iTXt. */
export function textChunk(t: PngText): Uint8Array {
  if (!validKeyword(t.keyword))
    throw new RangeError(`invalid PNG text keyword ${JSON.stringify(t.keyword)}`);
  const key = latin1(t.keyword);
  if (isLatin1(t.text) && !t.text.includes('\0')) {
    const text = latin1(t.text);
    const data = new Uint8Array(key.length + 1 + text.length);
    data.set(key, 0);
    data.set(text, key.length + 1);
    return chunk('tEXt', data);
  }
  // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated NUL, text.
  const text = utf8Encode(t.text.replaceAll('\0', ''));
  const data = new Uint8Array(key.length + 5 + text.length);
  data.set(key, 0);
  data.set(text, key.length + 5);
  return chunk('iTXt', data);
}

/**
 * The PNG with text chunks inserted before IEND. Throws on input that is not a PNG: callers pass
 * images they just encoded, so that is a bug, not a user error.
 */
export function insertPngText(png: Uint8Array, texts: readonly PngText[]): Uint8Array {
  const r = readChunks(png);
  if (!r.ok) throw new RangeError(r.reason);
  const iend = r.chunks[r.chunks.length - 1]!.offset;
  const added = texts.map(textChunk);
  const extra = added.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(png.length + extra);
  out.set(png.subarray(0, iend), 0);
  let at = iend;
  for (const c of added) {
    out.set(c, at);
    at += c.length;
  }
  out.set(png.subarray(iend), at);
  return out;
}

/** The link under our keyword plus the standard Source and Comment keywords. */
export function linkTexts(link: string, comment?: string): PngText[] {
  const out = [
    { keyword: LINK_KEYWORD, text: link },
    { keyword: 'Source', text: `Fracture ${link}` },
  ];
  if (comment !== undefined) out.push({ keyword: 'Comment', text: comment });
  return out;
}

/** Every tEXt and uncompressed iTXt chunk with a valid CRC, in file order. */
export function readPngText(
  png: Uint8Array,
): { ok: true; texts: PngText[] } | { ok: false; reason: string } {
  const r = readChunks(png);
  if (!r.ok) return r;
  const texts: PngText[] = [];
  for (const c of r.chunks) {
    if (!c.crcOk || (c.type !== 'tEXt' && c.type !== 'iTXt')) continue;
    const nul = c.data.indexOf(0);
    if (nul < 1) continue;
    const keyword = fromLatin1(c.data.subarray(0, nul));
    if (c.type === 'tEXt') {
      texts.push({ keyword, text: fromLatin1(c.data.subarray(nul + 1)) });
      continue;
    }
    if (c.data[nul + 1] !== 0) continue; // compressed iTXt: not written by us
    const lang = c.data.indexOf(0, nul + 3);
    const translated = lang < 0 ? -1 : c.data.indexOf(0, lang + 1);
    if (translated < 0) continue;
    texts.push({ keyword, text: utf8Decode(c.data.subarray(translated + 1)) });
  }
  return { ok: true, texts };
}

/** The share link an exported image carries, if any. */
export function readPngLink(png: Uint8Array): string | null {
  const r = readPngText(png);
  if (!r.ok) return null;
  return r.texts.find((t) => t.keyword === LINK_KEYWORD)?.text ?? null;
}
