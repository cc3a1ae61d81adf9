/**
 * UTF-8 to and from strings with the platform's TextDecoder / TextEncoder (every browser, worker
 * and node has them; the engine's ES2022 lib does not declare them, hence the typed lookup).
 */
interface Decoder {
  decode(bytes: Uint8Array): string;
}
interface Encoder {
  encode(text: string): Uint8Array;
}
const g = globalThis as unknown as {
  TextDecoder: new () => Decoder;
  TextEncoder: new () => Encoder;
};
let decoder: Decoder | null = null;
let encoder: Encoder | null = null;

export function decodeUtf8(bytes: Uint8Array): string {
  decoder ??= new g.TextDecoder();
  return decoder.decode(bytes);
}

export function encodeUtf8(text: string): Uint8Array {
  encoder ??= new g.TextEncoder();
  return encoder.encode(text);
}

interface StreamDecoder {
  decode(bytes?: Uint8Array, options?: { stream: boolean }): string;
}

/** A decoder for a stream of chunks: a character split between two chunks is kept for the next. */
export function utf8Stream(): { push(bytes: Uint8Array): string; end(): string } {
  const d = new (g.TextDecoder as unknown as new () => StreamDecoder)();
  return { push: (bytes) => d.decode(bytes, { stream: true }), end: () => d.decode() };
}
