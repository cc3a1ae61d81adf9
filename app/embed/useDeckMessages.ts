/**
 * The embed's side of the postMessage contract (app/embed/messages.ts): `fracture:ready` once a
 * run is loaded, `fracture:stepchanged` after every step change, and the deck's validated
 * commands. Anything that is not a fracture message is ignored silently; a malformed fracture
 * message is logged once for the deck's author.
 *
 * A compare embed passes `compare`: ready then waits for B as well and says what A and B are,
 * and setView's cmpView reaches it through onCompareView.
 */
import { useEffect, useRef } from 'react';
import { useRun } from '../run/session';
import { useUi } from '../store';
import {
  type CompareView,
  type IncomingMessage,
  parseIncoming,
  type ReadyMessage,
  readyMessage,
  stepChangedMessage,
} from './messages';

function post(msg: object): void {
  if (window.parent === window) return;
  // The step is not a secret and the deck's origin is unknown (file://, any host): '*'.
  window.parent.postMessage(msg, '*');
}

function apply(msg: IncomingMessage, onCompareView?: (v: CompareView) => void): void {
  const ui = useUi.getState();
  switch (msg.type) {
    case 'fracture:goto':
      ui.setPlaying(false);
      ui.seek(msg.step);
      break;
    case 'fracture:next':
      ui.stepBy(1);
      break;
    case 'fracture:prev':
      ui.stepBy(-1);
      break;
    case 'fracture:play':
      if (!ui.playing) ui.togglePlaying();
      break;
    case 'fracture:pause':
      ui.setPlaying(false);
      break;
    case 'fracture:setView':
      if (msg.layer !== undefined) ui.setLayer(msg.layer);
      if (msg.zoom !== undefined) ui.setZoom(msg.zoom);
      if (msg.sel !== undefined) ui.selectPfn(msg.sel);
      if (msg.theme !== undefined) ui.setTheme(msg.theme);
      if (msg.cmpView !== undefined) onCompareView?.(msg.cmpView);
      break;
  }
}

export interface CompareHooks {
  /** null until B has loaded: ready is held back until then. */
  ready: ReadyMessage['compare'] | null;
  onCompareView(v: CompareView): void;
}

export function useDeckMessages(onReady: () => void, compare?: CompareHooks): void {
  const { generation, info } = useRun();
  const isCompare = compare !== undefined;
  const compareReady = compare?.ready ?? null;
  const loaded = generation > 0 && info !== null && (!isCompare || compareReady !== null);
  // The latest hooks, without re-subscribing (and re-announcing ready) when they change.
  const onView = useRef(compare?.onCompareView);
  onView.current = compare?.onCompareView;
  const readyInfo = useRef(compareReady);
  readyInfo.current = compareReady;

  useEffect(() => {
    if (!loaded) return;
    const ui = useUi.getState();
    post(readyMessage(ui.step, ui.maxStep, readyInfo.current ?? undefined));
    onReady();
    const unsubscribe = useUi.subscribe((s, p) => {
      if (s.step !== p.step) post(stepChangedMessage(s.step));
    });
    const onMessage = (e: MessageEvent) => {
      const r = parseIncoming(e.data);
      if (r.ok) apply(r.msg, (v) => onView.current?.(v));
      else if (r.reason !== 'not-fracture')
        console.warn(`Fracture embed ignored a message: ${r.reason}`);
    };
    window.addEventListener('message', onMessage);
    return () => {
      unsubscribe();
      window.removeEventListener('message', onMessage);
    };
    // Once per page: a reload of the same run (generation) must not announce ready again.
  }, [loaded, onReady]);
}
