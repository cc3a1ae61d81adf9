/**
 * Keys in an embed: the presenter's clicker keys (PRESENTER_KEYS) stay with the deck until the
 * audience clicks into the embed (shouldCaptureKey); the embed then steps with ←/→, Space plays.
 * Leaving the frame (blur) gives the keys back.
 */
import { useEffect } from 'react';
import { useUi } from '../store';
import { shouldCaptureKey } from './messages';

export function useEmbedKeys(): void {
  useEffect(() => {
    let audience = false;
    const onPointer = () => {
      audience = true;
    };
    const onBlur = () => {
      audience = false;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (!shouldCaptureKey(e.key, audience)) return;
      const ui = useUi.getState();
      let handled = true;
      switch (e.key) {
        case 'ArrowRight':
        case 'PageDown':
          ui.stepBy(1);
          break;
        case 'ArrowLeft':
        case 'PageUp':
          ui.stepBy(-1);
          break;
        case ' ':
          ui.togglePlaying();
          break;
        case 'Home':
          ui.seek(0);
          break;
        case 'End':
          ui.seek(ui.maxStep);
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('blur', onBlur);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}
