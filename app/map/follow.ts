/**
 * The follow camera: when a step acts somewhere, glide there close enough to see its 4 KiB cells
 * (changes.ts focusBox), hold, and glide back to the view it left. A glide interpolates the
 * world point at the view's centre linearly and the zoom in log space, so a 1 TiB host's zoom by
 * 10,000× reads as one steady move. With reduced motion it cuts instead of gliding. Any gesture
 * cancels it (the user has taken the camera); a new step while following starts from where the
 * camera is and still returns to the first view it left.
 */
import type { Camera } from './camera';
import type { Box } from './view-range';

export const GLIDE_MS = 650;
export const HOLD_MS = 1800;

type T = { k: number; x: number; y: number };

const ease = (t: number) => (t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2);

/** The transform a fraction e of the way from a to b, for a screen of w × h CSS px. */
export function glideAt(a: T, b: T, e: number, w: number, h: number): T {
  // World point at the screen centre at each end.
  const ca = [(w / 2 - a.x) / a.k, (h / 2 - a.y) / a.k];
  const cb = [(w / 2 - b.x) / b.k, (h / 2 - b.y) / b.k];
  const k = Math.exp(Math.log(a.k) + (Math.log(b.k) - Math.log(a.k)) * e);
  const cx = ca[0]! + (cb[0]! - ca[0]!) * e;
  const cy = ca[1]! + (cb[1]! - ca[1]!) * e;
  return { k, x: w / 2 - cx * k, y: h / 2 - cy * k };
}

export class FollowCamera {
  /** The view the follow left (returned to at the end); null when not following. */
  private home: T | null = null;
  private frame = 0;
  private timer = 0;
  /** Bumped to stop a sequence in flight. */
  private token = 0;

  constructor(private readonly camera: Camera) {}

  get active(): boolean {
    return this.home !== null;
  }

  /** Stop where the camera is (a gesture took over, or follow was turned off). */
  cancel(): void {
    this.token++;
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.home = null;
  }

  /** Go to box b, hold, come back. */
  follow(b: Box, reduced: boolean): void {
    const c = this.camera;
    const home = this.home ?? c.transform();
    this.cancel();
    this.home = home;
    const token = this.token;
    const target = c.targetFor(b, 0.08);
    // Never zoom out to follow: a step inside the view is already in view.
    if (target.k <= home.k * 1.2 && !this.homeMissing(b)) {
      this.home = null;
      return;
    }
    this.glide(c.transform(), target, reduced, token, () => {
      this.timer = window.setTimeout(() => {
        if (token !== this.token) return;
        this.glide(c.transform(), home, reduced, token, () => {
          this.home = null;
        });
      }, HOLD_MS);
    });
  }

  /** The box lies outside the view the follow started from. */
  private homeMissing(b: Box): boolean {
    const v = this.camera.visibleBox();
    return b.x1 < v.x0 || b.x0 > v.x1 || b.y1 < v.y0 || b.y0 > v.y1;
  }

  private glide(from: T, to: T, reduced: boolean, token: number, done: () => void): void {
    const c = this.camera;
    if (reduced) {
      c.set(to.x, to.y, to.k);
      done();
      return;
    }
    const t0 = performance.now();
    const tick = (now: number) => {
      if (token !== this.token) return;
      const e = ease(Math.min(1, (now - t0) / GLIDE_MS));
      const t = glideAt(from, to, e, c.cssW, c.cssH);
      c.set(t.x, t.y, t.k);
      if (e < 1) this.frame = requestAnimationFrame(tick);
      else done();
    };
    this.frame = requestAnimationFrame(tick);
  }
}
