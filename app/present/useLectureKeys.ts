/**
 * Lecture-mode keys, ahead of the explorer's own (capture phase, then preventDefault so
 * useKeyboard leaves them): PageDown/→ next captioned step, PageUp/← previous, Esc back to free
 * exploration. Typing in a field keeps its keys.
 */
import { useEffect } from 'react';
import type { Caption } from '../../src/scenario/index';
import { useUi } from '../store';
import { captionStepFrom } from './captions';

function typing(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return (
    t.isContentEditable ||
    t.tagName === 'TEXTAREA' ||
    t.tagName === 'INPUT' ||
    t.tagName === 'SELECT'
  );
}

export function useLectureKeys(captions: readonly Caption[]): void {
  const lecture = useUi((s) => s.lecture);
  useEffect(() => {
    if (!lecture) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const ui = useUi.getState();
      if (ui.dialog !== null || ui.panels.help) return;
      let dir: 1 | -1 | 0 = 0;
      if (e.key === 'PageDown' || e.key === 'ArrowRight') dir = 1;
      else if (e.key === 'PageUp' || e.key === 'ArrowLeft') dir = -1;
      else if (e.key === 'Escape') {
        ui.setLecture(false);
        e.preventDefault();
        return;
      } else return;
      e.preventDefault();
      const to = captionStepFrom(captions, ui.step, dir);
      if (to !== null) {
        ui.setPlaying(false);
        ui.seek(to);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [lecture, captions]);
}
