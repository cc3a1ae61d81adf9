/**
 * Keeps the address bar's fragment equal to what the user sees (source, step, layer, zoom,
 * selection), debounced so playing does not rewrite it 30 times a second; and loads a fragment
 * the user edits by hand or pastes (hashchange).
 */
import { useEffect } from 'react';
import { MAX_FRAGMENT_CHARS } from '../../src/scenario/index';
import { addNotice, currentView, getRun, loadFragment, useRun } from '../run/session';
import { useUi } from '../store';
import { isPromFragment, openPromFragment } from '../timeline/prom';
import { useTimeline } from '../timeline/state';
import { writeFragment } from '../url';
import { fragmentFor } from './links';
import { isSrcFragment, loadSrcFragment } from './src-link';

const DEBOUNCE_MS = 250;
let lastWritten = '';

export const TOO_LARGE_TITLE =
  'This scenario is too large for a link — download the scenario or host it for #src=';

/**
 * `onLoad`: the write after a load, which leaves a link that could not be used in the address
 * bar (issue 16); a later change of view writes the run's own link.
 */
function write(onLoad = false): void {
  const { source, info, keptLink } = getRun();
  // Only the explorer (App) syncs: an embed never rewrites its iframe's URL (the deck owns it).
  if (!source || !info) return;
  if (onLoad && keptLink !== null) return;
  // A `#prom=` link stays in the address bar while its timeline is open.
  if (useTimeline.getState().link !== null) return;
  const fragment = fragmentFor(currentView(info.totalPages * 4096));
  if (fragment === '') return;
  // A link the decoder refuses (src/scenario/url.ts) is no link: keep the last good one.
  if (fragment.length > MAX_FRAGMENT_CHARS) {
    addNotice({
      tone: 'warning',
      title: TOO_LARGE_TITLE,
      messages: [
        `its link would be ${fragment.length.toLocaleString('en-US')} characters; links open up to ${MAX_FRAGMENT_CHARS.toLocaleString('en-US')}. The address bar keeps the last link that fits.`,
      ],
      brief: TOO_LARGE_TITLE,
    });
    return;
  }
  lastWritten = fragment;
  writeFragment(fragment);
}

export function useUrlSync(): void {
  const { generation } = useRun();

  useEffect(() => {
    if (generation === 0) return;
    write(true);
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
      timer = window.setTimeout(() => write(), DEBOUNCE_MS);
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
      if (isPromFragment(h)) void openPromFragment(h);
      else void (isSrcFragment(h) ? loadSrcFragment(h) : loadFragment(h));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
}
