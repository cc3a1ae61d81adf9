/** base64url without padding (RFC 4648 §5): safe in a URL fragment without escaping. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64url(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = a * 65536 + b * 256 + c;
    const left = bytes.length - i;
    chunk += ALPHABET[Math.floor(n / 262144) % 64];
    chunk += ALPHABET[Math.floor(n / 4096) % 64];
    if (left > 1) chunk += ALPHABET[Math.floor(n / 64) % 64];
    if (left > 2) chunk += ALPHABET[n % 64];
    if (chunk.length >= 4096) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** null when the text is not base64url (wrong character or impossible length). */
export function decodeBase64url(text: string): Uint8Array | null {
  const s = text.endsWith('==') ? text.slice(0, -2) : text.endsWith('=') ? text.slice(0, -1) : text;
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    const count = Math.min(4, s.length - i);
    for (let j = 0; j < 4; j++) {
      const code = j < count ? s.charCodeAt(i + j) : 65; // 'A' = 0 pads a short last group
      const v = code < 128 ? (LOOKUP[code] ?? -1) : -1;
      if (v < 0) return null;
      n = n * 64 + v;
    }
    out[o++] = Math.floor(n / 65536) % 256;
    if (count > 2) out[o++] = Math.floor(n / 256) % 256;
    if (count > 3) out[o++] = n % 256;
  }
  return out.subarray(0, o);
}
