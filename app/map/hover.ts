/**
 * The hover tip: the text for what is under the pointer, placed beside it. It owns the tip
 * element and the pointer listeners on the target. Handled once per frame at most, and it never
 * reads layout (no forced reflow): the pointer's offset and the stage size it is given suffice.
 */

/** Beyond these CSS px from the stage's right and bottom edges the tip flips to the other side. */
const FLIP_RIGHT_PX = 380;
const FLIP_BOTTOM_PX = 80;

export interface HoverOptions {
  /** The text for the point (CSS px from the target's top-left), or null for nothing there. */
  textAt(x: number, y: number): string | null;
  /** The stage's CSS size. */
  stage(): { width: number; height: number };
}

export class Hover {
  private at: { x: number; y: number } | null = null;
  private frame = 0;
  private text = '';

  constructor(
    private readonly target: HTMLElement,
    private readonly tip: HTMLElement,
    private readonly o: HoverOptions,
  ) {
    target.addEventListener('pointermove', this.onMove);
    target.addEventListener('pointerleave', this.hide);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.target.removeEventListener('pointermove', this.onMove);
    this.target.removeEventListener('pointerleave', this.hide);
  }

  private readonly onMove = (e: PointerEvent): void => {
    this.at = { x: e.offsetX, y: e.offsetY };
    if (this.frame === 0) this.frame = requestAnimationFrame(this.update);
  };

  private readonly update = (): void => {
    this.frame = 0;
    const h = this.at;
    const text = h ? this.o.textAt(h.x, h.y) : null;
    if (!h || text === null) return this.hide();
    const tip = this.tip;
    if (text !== this.text) {
      tip.textContent = text;
      this.text = text;
    }
    tip.hidden = false;
    const { width, height } = this.o.stage();
    const fx = h.x > width - FLIP_RIGHT_PX ? 'calc(-100% - 14px)' : '14px';
    const fy = h.y > height - FLIP_BOTTOM_PX ? 'calc(-100% - 10px)' : '16px';
    tip.style.transform = `translate(${h.x}px, ${h.y}px) translate(${fx}, ${fy})`;
  };

  readonly hide = (): void => {
    this.at = null;
    this.tip.hidden = true;
  };
}
