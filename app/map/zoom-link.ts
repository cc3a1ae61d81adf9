/**
 * Which view the camera shows on its own: a new run (or space) starts from its share link's
 * `zoom` (a byte range, view-range.ts) or the whole map, and resizes show that again until the
 * user moves. A gesture's end reports the view's range; a range the view reported itself is not
 * applied back (it would refit a view that is already that range, at a rounding's distance).
 * Only the host view has a link range (the guest view's addresses are GPAs).
 */
import type { Camera } from './camera';
import type { Layout } from './geometry';
import type { Loaded } from './loader';
import { type ByteRange, boxOfRange, rangeOfView } from './view-range';

const tagOf = (z: ByteRange) => `${z.start}-${z.end}`;

export class ZoomLink {
  private lastReported = '';
  private applied = '';
  /** The run and space last fitted. */
  private fitted = '';

  constructor(private readonly camera: Camera) {}

  /** The props' range differs from the one last applied or reported. */
  isNew(z: ByteRange | undefined): boolean {
    return z !== undefined && tagOf(z) !== this.applied;
  }

  /** Show the props' range in the host view. */
  show(d: Loaded | null, z: ByteRange | undefined): void {
    if (z && d && d.space === 'host') this.apply(z, d.layout);
  }

  /** A snapshot arrived (the camera's world is already its layout). */
  loaded(next: Loaded, prev: Loaded | null, z: ByteRange | undefined): void {
    const refit = prev?.layout.regions !== next.layout.regions || prev.gen !== next.gen;
    const tag = `${next.gen}|${next.space}`;
    if (!refit || this.fitted === tag) return;
    this.fitted = tag;
    this.camera.userMoved = false;
    if (z && next.space === 'host') this.apply(z, next.layout);
    else this.camera.fit();
  }

  /** The stage was resized: until the user moves, show the link's range or the whole map again. */
  resized(d: Loaded | null, z: ByteRange | undefined): void {
    if (!d || this.camera.userMoved) return;
    if (z && d.space === 'host') {
      this.applied = '';
      this.lastReported = '';
      this.apply(z, d.layout);
    } else this.camera.fit();
  }

  /** The view above what covers the stage's foot as a range, if it changed since last time. */
  report(d: Loaded | null, cb: ((z: ByteRange) => void) | undefined): void {
    if (!d || !cb || d.space !== 'host') return;
    const z = rangeOfView(d.layout, this.camera.visibleBox(), this.camera.k);
    if (!z) return;
    const tag = tagOf(z);
    if (tag === this.lastReported) return;
    this.lastReported = tag;
    this.applied = tag;
    cb(z);
  }

  /** A view's corners are shown as they were (at another canvas size: fitted, centred). */
  private apply(z: ByteRange, l: Layout): void {
    const tag = tagOf(z);
    this.applied = tag;
    if (tag === this.lastReported) return;
    const r = boxOfRange(l, z);
    if (r) this.camera.zoomTo(r.box, r.exact ? 0 : 0.02);
  }
}
