/**
 * Keeps the address bar's fragment equal to what the user sees (source, step, layer, zoom,
 * selection), debounced so playing does not rewrite it 30 times a second; and loads a fragment
 * the user edits by hand or pastes (hashchange).
 */
import { useEffect } from 'react';
import type { ViewState } from '../../src/worker/protocol';
import { isEmbed } from '../embed/options';
import { fragmentFor } from '../share/links';
import { isSrcFragment, loadSrcFragment } from '../share/src-link';
import { useUi } from '../store';
import { writeFragment } from '../url';
import { getRun, loadFragment, useRun } from './session';

const DEBOUNCE_MS = 250;
let lastWritten = '';

/** The view a link carries: step, layer, zoom (unless the whole host) and selection. */
export function currentView(hostBytes: number): ViewState {
  const ui = useUi.getState();
  const view: ViewState = { step: ui.step, layer: ui.layer };
  // The whole host is the default view: a link needs no zoom for it.
  const whole = ui.zoom !== null && ui.zoom.start <= 0 && ui.zoom.end >= hostBytes;
  if (ui.zoom && !whole) view.zoom = ui.zoom;
  if (ui.selectedPfn !== null) view.sel = ui.selectedPfn;
  return view;
}

function write(): void {
  const { source, info } = getRun();
  // An embed never rewrites its iframe's URL (the deck owns it).
  if (!source || !info || isEmbed()) return;
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
