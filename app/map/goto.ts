/**
 * The map's "go to address / PFN" box (Perfetto's omnibox habit: type where, press Enter). What
 * it accepts: a physical address in hex or decimal ("0x200000", "2097152"), with an optional
 * unit ("2G", "512M", "4K"), or a frame number after "pfn" ("pfn 0x21f", "pfn:543").
 */

export type GotoTarget = { pfn: number } | { error: string };

const UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

function number(text: string): number | null {
  const t = text.trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt])?i?b?$/i.exec(t);
  if (!m) return null;
  const unit = m[2] ? UNITS[m[2].toLowerCase()]! : 1;
  return Math.floor(Number(m[1]) * unit);
}

/** The frame a box's text names, or why it names none. `frames` bounds the space. */
export function parseGoto(text: string, frames: number): GotoTarget {
  const t = text.trim();
  if (t === '') return { error: 'Type an address (0x200000) or a PFN (pfn 0x21f)' };
  const pfnForm = /^pfn\s*[:=]?\s*(.+)$/i.exec(t);
  const n = number(pfnForm ? pfnForm[1]! : t);
  if (n === null || !Number.isFinite(n)) return { error: `Not an address or PFN: ${t}` };
  const pfn = pfnForm ? n : Math.floor(n / 4096);
  if (pfn < 0 || pfn >= frames)
    return { error: `Beyond this map (${frames.toLocaleString('en-US')} frames)` };
  return { pfn };
}
