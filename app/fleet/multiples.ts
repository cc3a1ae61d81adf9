/**
 * Small multiples of the fleet: one cell per host (name, share now, a sparkline of its
 * DirectMap4k share on the fleet's shared time axis), drawn on one canvas so 48 hosts cost one
 * layout and a few hundred path segments. The y axis is shared too: 0 to the largest share
 * shown, so a tall line means a fractured host whichever cell it is in.
 */
import type { FleetHost, FleetView } from '../../src/worker/protocol';

/** The narrowest cell; cells widen to fill the row. */
export const CELL_W = 180;
export const CELL_H = 64;

export function multipleAt(
  hosts: readonly FleetHost[],
  cols: number,
  cellW: number,
  xPx: number,
  yPx: number,
): FleetHost | null {
  const c = Math.floor(xPx / cellW);
  const r = Math.floor(yPx / CELL_H);
  if (c < 0 || c >= cols || r < 0) return null;
  return hosts[r * cols + c] ?? null;
}

export function drawMultiples(
  canvas: HTMLCanvasElement,
  fleet: FleetView,
  hosts: readonly FleetHost[],
  cols: number,
  cellW: number,
): void {
  const CELL_W = cellW;
  const rows = Math.ceil(hosts.length / cols);
  const w = cols * CELL_W;
  const h = Math.max(1, rows * CELL_H);
  const dpr = window.devicePixelRatio || 1;
  canvas.width = w * dpr;
  canvas.height = h * dpr;
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const cs = getComputedStyle(document.documentElement);
  const v = (n: string, d: string) => cs.getPropertyValue(n).trim() || d;
  const fg = v('--fg', '#16191f');
  const muted = v('--muted', '#5b6472');
  const border = v('--border', '#dde1e7');
  const line = v('--dm-4k', '#e0a100');
  let top = 0;
  for (const x of hosts) if (Number.isFinite(x.share) && x.share > top) top = x.share;
  const P = fleet.points;
  for (let k = 0; k < hosts.length; k++) {
    const host = hosts[k]!;
    const x0 = (k % cols) * CELL_W;
    const y0 = Math.floor(k / cols) * CELL_H;
    ctx.strokeStyle = border;
    ctx.strokeRect(x0 + 2.5, y0 + 2.5, CELL_W - 5, CELL_H - 5);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.fillStyle = fg;
    const name = host.host.length > 22 ? `${host.host.slice(0, 21)}…` : host.host;
    ctx.fillText(name, x0 + 7, y0 + 6);
    ctx.fillStyle = muted;
    const share = Number.isFinite(host.share) ? `${(host.share * 100).toFixed(1)}%` : '—';
    ctx.fillText(share, x0 + CELL_W - 8 - ctx.measureText(share).width, y0 + 6);
    if (!(top > 0)) continue;
    const px0 = x0 + 8;
    const pw = CELL_W - 16;
    const py0 = y0 + 22;
    const ph = CELL_H - 30;
    ctx.strokeStyle = line;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let open = false;
    for (let p = 0; p < P; p++) {
      const s = fleet.share[host.index * P + p]!;
      if (Number.isNaN(s)) continue;
      const x = px0 + (P > 1 ? (p / (P - 1)) * pw : pw / 2);
      const y = py0 + ph - (s / top) * ph;
      if (open) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      open = true;
    }
    ctx.stroke();
    ctx.lineWidth = 1;
  }
}
