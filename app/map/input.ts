/**
 * The map canvas's click, keys and focus. It owns those listeners. The camera takes its keys
 * (arrows, + and −, 0); Enter selects the frame under the dashed cursor at the view's centre,
 * Escape clears the selection (MemoryMap's screen-reader text and the help overlay say so).
 */
import type { Camera } from './camera';

export interface InputOptions {
  camera: Camera;
  /** The frame under a screen point, or -1 (no frame, or no snapshot yet). */
  frameAt(px: number, py: number): number;
  /** Frames can be selected (the host view, once loaded). */
  canSelect(): boolean;
  select(pfn: number | null): void;
  /** Any key: the split flash stops (it would point at the wrong place after a move). */
  onKey(): void;
  /** A key the map handled: the view may have moved (a share link's range). */
  onHandled(): void;
  onFocusChange(focused: boolean): void;
}

export class MapInput {
  /** The canvas has focus: the keyboard cursor is drawn. */
  focused = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly o: InputOptions,
  ) {
    canvas.addEventListener('click', this.onClick);
    canvas.addEventListener('keydown', this.onKeyDown);
    canvas.addEventListener('focus', this.onFocus);
    canvas.addEventListener('blur', this.onBlur);
  }

  dispose(): void {
    this.canvas.removeEventListener('click', this.onClick);
    this.canvas.removeEventListener('keydown', this.onKeyDown);
    this.canvas.removeEventListener('focus', this.onFocus);
    this.canvas.removeEventListener('blur', this.onBlur);
  }

  /** The frame under the view's centre (the keyboard cursor), or -1. */
  centerFrame(): number {
    const c = this.o.camera;
    return this.o.frameAt(c.cssW / 2, c.cssH / 2);
  }

  private readonly onClick = (e: MouseEvent): void => {
    if (!this.o.canSelect()) return;
    const pfn = this.o.frameAt(e.offsetX, e.offsetY);
    this.o.select(pfn >= 0 ? pfn : null);
  };

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    this.o.onKey();
    let handled = this.o.camera.key(e.key);
    if (!handled && e.key === 'Enter' && this.o.canSelect()) {
      const pfn = this.centerFrame();
      this.o.select(pfn >= 0 ? pfn : null);
      handled = true;
    } else if (!handled && e.key === 'Escape') {
      this.o.select(null);
      handled = true;
    }
    if (!handled) return;
    this.o.camera.userMoved = true;
    e.preventDefault();
    e.stopPropagation();
    this.o.onHandled();
  };

  private readonly onFocus = (): void => {
    this.focused = true;
    this.o.onFocusChange(true);
  };

  private readonly onBlur = (): void => {
    this.focused = false;
    this.o.onFocusChange(false);
  };
}
