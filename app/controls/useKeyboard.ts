/**
 * Global keys: Space play/pause, ←/→ step, Home/End, s/f/k next split/fault/kill (Shift: previous),
 * `?` help. Keys never fire while the user types, and a focused control keeps the keys it
 * handles itself (arrows on the slider, Space on a button). A radio group keeps its arrows, Home,
 * End and Space only when it was reached by keyboard: a radio clicked with the mouse keeps the
 * focus, and → after choosing a backing means "next step", not "next backing" (issue 16).
 * "Reached by keyboard" is read as :focus-visible when the focus arrives; it cannot be read at
 * keydown, because Chromium turns focus-visible on for the focused element once any key is
 * pressed.
 */
import { useEffect } from 'react';
import { JUMP_KINDS } from '../panels/kinds';
import { useUi } from '../store';

const TEXT_INPUTS = new Set(['text', 'number', 'search', 'email', 'url', 'tel', 'password']);

/** Which of our keys the focused element already handles natively. */
function ownsKey(target: EventTarget | null, key: string, byKeyboard: boolean): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    if (TEXT_INPUTS.has(type)) return true;
    const navigation = key.startsWith('Arrow') || key === 'Home' || key === 'End' || key === ' ';
    if (type === 'range') return navigation;
    if (type === 'radio') return byKeyboard && navigation;
    if (type === 'checkbox') return key === ' ';
  }
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return key === ' ' || key === 'Enter';
  return false;
}

function focusVisible(el: Element): boolean {
  try {
    return el.matches(':focus-visible');
  } catch {
    return true; // a browser without :focus-visible: leave the control its keys, as before
  }
}

export function useKeyboard(jump: (kind: string, dir: 1 | -1) => void): void {
  useEffect(() => {
    // The element that last received the focus from the keyboard (Tab, arrows in a group).
    let keyboardFocus: EventTarget | null = null;
    const onFocus = (e: FocusEvent) => {
      keyboardFocus = e.target instanceof Element && focusVisible(e.target) ? e.target : null;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      // Focus left inside a dialog that has just closed is the page's, not the dialog button's.
      const t = e.target;
      const stale =
        t instanceof HTMLElement && t.closest('dialog') !== null && !t.closest('dialog[open]');
      if (stale) t.blur();
      if (!stale && ownsKey(t, e.key, t === keyboardFocus)) return;
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
    // Capture: the focus lands before any handler of the page could move it again.
    document.addEventListener('focusin', onFocus, true);
    window.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('focusin', onFocus, true);
      window.removeEventListener('keydown', onKey);
    };
  }, [jump]);
}
