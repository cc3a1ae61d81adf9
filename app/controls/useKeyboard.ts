/**
 * Global keys: Space play/pause, ←/→ step, Home/End, s/f/k next split/fault/kill (Shift: previous),
 * `?` help. Keys never fire while the user types, and a focused control keeps the keys it
 * handles itself (arrows on the slider or a radio group, Space on a button).
 */
import { useEffect } from 'react';
import { JUMP_KINDS } from '../panels/kinds';
import { useUi } from '../store';

const TEXT_INPUTS = new Set(['text', 'number', 'search', 'email', 'url', 'tel', 'password']);

/** Which of our keys the focused element already handles natively. */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    if (TEXT_INPUTS.has(type)) return true;
    if (type === 'range' || type === 'radio')
      return key.startsWith('Arrow') || key === 'Home' || key === 'End' || key === ' ';
    if (type === 'checkbox') return key === ' ';
  }
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return key === ' ' || key === 'Enter';
  return false;
}

export function useKeyboard(jump: (kind: string, dir: 1 | -1) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      // Focus left inside a dialog that has just closed is the page's, not the dialog button's.
      const t = e.target;
      const stale =
        t instanceof HTMLElement && t.closest('dialog') !== null && !t.closest('dialog[open]');
      if (stale) t.blur();
      if (!stale && ownsKey(t, e.key)) return;
      // The DOM's dialog state, not the store's: after Esc the dialog is closed at once but its
      // close event (which clears the store flag) comes a task later, and a Space in between
      // was swallowed.
      const open = document.querySelector('dialog[open]');
      if (open && !(open.classList.contains('help') && e.key === '?')) return;
      const ui = useUi.getState();
      let handled = true;
      switch (e.key) {
        case ' ':
          ui.togglePlaying();
          break;
        case 'ArrowLeft':
          ui.stepBy(-1);
          break;
        case 'ArrowRight':
          ui.stepBy(1);
          break;
        case 'Home':
          ui.setPlaying(false);
          ui.seek(0);
          break;
        case 'End':
          ui.setPlaying(false);
          ui.seek(ui.maxStep);
          break;
        case '?':
          ui.togglePanel('help', !open);
          break;
        default: {
          const j = JUMP_KINDS.find((k) => k.key === e.key.toLowerCase());
          if (j) jump(j.kind, e.shiftKey ? -1 : 1);
          else handled = false;
        }
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [jump]);
}
