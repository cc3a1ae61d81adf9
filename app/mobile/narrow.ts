/**
 * Phones and narrow windows (< 700 CSS px wide) get the read-only viewer (MobileApp): the
 * explorer's panels, dialogs and authoring controls need a desktop's width. The choice follows
 * the window (a phone turned sideways past 700 px gets the explorer).
 */
import { useSyncExternalStore } from 'react';

export const NARROW_QUERY = '(max-width: 699.98px)';

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(NARROW_QUERY);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

export const isNarrow = (): boolean => window.matchMedia(NARROW_QUERY).matches;

export function useNarrow(): boolean {
  return useSyncExternalStore(subscribe, isNarrow, () => false);
}
