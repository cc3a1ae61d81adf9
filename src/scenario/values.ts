/**
 * Sizes and addresses as kernel people write them: "64G", "2M", "0x1f000", or plain numbers.
 * Everything here returns null instead of throwing; schema.ts turns null into a ScenarioError.
 */
import { formatSize, hex, parseSize } from '../machine/units';

/** A byte count or byte address: a non-negative safe integer, from a number or a size string. */
export function toBytes(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : null;
  }
  if (typeof value !== 'string' || value.length > 40) return null;
  const bytes = parseSize(value);
  return bytes !== null && Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : null;
}

/** A frame number: a plain or hex integer only ("4K" is a size, not a frame). */
export function toFrame(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string' || !/^\s*(0x[0-9a-f]{1,13}|\d{1,16})\s*$/i.test(value)) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export const canonicalSize = formatSize;
export const canonicalAddr = hex;
