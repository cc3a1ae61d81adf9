/**
 * The camera and a share link's `zoom` (a byte range, view-range.ts). A range the props give is
 * shown once; a gesture's end reports the view's range; a range the view reported itself is not
 * applied back (it would refit a view that is already that range, at a rounding's distance).
 */
import type { Camera } from './camera';
import type { Layout } from './geometry';
import { type ByteRange, boxOfRange, rangeOfView } from './view-range';

const tagOf = (z: ByteRange) => `${z.start}-${z.end}`;

export class ZoomLink {
  private lastReported = '';
  private applied = '';

  constructor(private readonly camera: Camera) {}

  /** The props' range differs from the one last applied or reported. */
  isNew(z: ByteRange | undefined): boolean {
    return z !== undefined && tagOf(z) !== this.applied;
  }

  /** Show range z (a view's corners as they were; a plain address range with a margin). */
  apply(z: ByteRange, l: Layout): void {
    const tag = tagOf(z);
    this.applied = tag;
    if (tag === this.lastReported) return;
    const r = boxOfRange(l, z);
    // At another canvas size the corners are fitted, centred.
    if (r) this.camera.zoomTo(r.box, r.exact ? 0 : 0.02);
  }

  /** Forget what was reported: a resize before the user moved shows the link's range again. */
  reset(): void {
    this.applied = '';
    this.lastReported = '';
  }

  /** The view above the bottom inset as a range, if it changed since the last report. */
  report(l: Layout): ByteRange | null {
    const z = rangeOfView(l, this.camera.visibleBox(), this.camera.k);
    if (!z) return null;
    const tag = tagOf(z);
    if (tag === this.lastReported) return null;
    this.lastReported = tag;
    this.applied = tag;
    return z;
  }
}
