/**
 * Keeps the address bar's fragment equal to what the user sees (source, step, layer, zoom,
 * selection), debounced so playing does not rewrite it 30 times a second; and loads a fragment
 * the user edits by hand or pastes (hashchange).
 */
import { useEffect } from 'react';
import { currentView, getRun, loadFragment, useRun } from '../run/session';
import { useUi } from '../store';
import { writeFragment } from '../url';
import { fragmentFor } from './links';
import { isSrcFragment, loadSrcFragment } from './src-link';

const DEBOUNCE_MS = 250;
let lastWritten = '';

function write(): void {
  const { source, info } = getRun();
  // Only the explorer (App) syncs: an embed never rewrites its iframe's URL (the deck owns it).
  if (!source || !info) return;
  const fragment = fragmentFor(currentView(info.totalPages * 4096));
  if (fragment === '') return;
  lastWritten = fragment;
  writeFragment(fragment);
}

export function useUrlSync(): void {
  const { generation } = useRun();

  useEffect(() => {
    if (generation === 0) return;
    write();
    let timer = 0;
    const unsubscribe = useUi.subscribe((s, p) => {
      if (
        s.step === p.step &&
        s.layer === p.layer &&
        s.zoom === p.zoom &&
        s.selectedPfn === p.selectedPfn
      )
        return;
      window.clearTimeout(timer);
      timer = window.setTimeout(write, DEBOUNCE_MS);
    });
    return () => {
      unsubscribe();
      window.clearTimeout(timer);
    };
  }, [generation]);

  useEffect(() => {
    const onHash = () => {
      const h = window.location.hash;
      if (h === lastWritten || h.length <= 1) return;
      void (isSrcFragment(h) ? loadSrcFragment(h) : loadFragment(h));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
}
