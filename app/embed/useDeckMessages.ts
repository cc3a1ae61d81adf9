/**
 * The embed's side of the postMessage contract (app/embed/messages.ts): `fracture:ready` once a
 * run is loaded, `fracture:stepchanged` after every step change, and the deck's validated
 * commands. Commands count only from the embedding page (and, with ?origin=, only from the
 * origins listed); anything else is dropped before it is parsed. Anything that is not a fracture
 * message is ignored silently; a malformed fracture message or a refused sender is logged once
 * per reason for the deck's author.
 *
 * Commands are folded (foldCommand) and applied once per animation frame, so a flood cannot
 * queue a render per message. A frame the deck has hidden gets no animation frames; a timer
 * applies the fold there instead.
 *
 * A compare embed passes `compare`: ready then waits for B as well and says what A and B are,
 * and setView's cmpView reaches it through onCompareView.
 */
import { useEffect, useRef } from 'react';
import { useRun } from '../run/session';
import { useUi } from '../store';
import {
  type CompareView,
  foldCommand,
  fractureType,
  MAX_PENDING_OPS,
  noCommands,
  type PendingCommands,
  parseIncoming,
  type ReadyMessage,
  readyMessage,
  senderAllowed,
  stepChangedMessage,
} from './messages';
import { embedOrigins } from './options';

/** Log lines per page: a flood of bad messages must not become a flood of console output. */
const MAX_LOGGED = 20;
/** Apply folded commands at least this often when animation frames do not come (hidden frame). */
const FLUSH_FALLBACK_MS = 100;

function post(msg: object): void {
  if (window.parent === window) return;
  const origins = embedOrigins();
  if (origins && origins.length > 0 && !origins.includes('null')) {
    // Only the decks the author listed may read the step; postMessage drops the other targets.
    for (const o of origins) window.parent.postMessage(msg, o);
    return;
  }
  // The step is not a secret and the deck's origin is unknown (file://, any host): '*'.
  window.parent.postMessage(msg, '*');
}

function apply(p: PendingCommands, onCompareView?: (v: CompareView) => void): void {
  const ui = useUi.getState();
  for (const op of p.ops) {
    switch (op.kind) {
      case 'goto':
        ui.setPlaying(false);
        ui.seek(op.step);
        break;
      case 'step':
        ui.stepBy(op.delta);
        break;
      case 'play':
        if (!useUi.getState().playing) ui.togglePlaying();
        break;
      case 'pause':
        ui.setPlaying(false);
        break;
    }
  }
  const view = p.view;
  if (view) {
    if (view.layer !== undefined) ui.setLayer(view.layer);
    if (view.zoom !== undefined) ui.setZoom(view.zoom);
    if (view.sel !== undefined) ui.selectPfn(view.sel);
    if (view.theme !== undefined) ui.setTheme(view.theme);
    if (view.cmpView !== undefined) onCompareView?.(view.cmpView);
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
    const logged = new Set<string>();
    const log = (reason: string) => {
      if (logged.has(reason) || logged.size >= MAX_LOGGED) return;
      logged.add(reason);
      console.warn(`Fracture embed ignored a message: ${reason}`);
    };
    const allowed = embedOrigins();
    let pending: PendingCommands | null = null;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      const p = pending;
      pending = null;
      if (p) apply(p, (v) => onView.current?.(v));
    };
    const onMessage = (e: MessageEvent) => {
      // The sender first: a window that may not drive the embed costs no parsing.
      const sender = senderAllowed(e.source === window.parent, e.origin, allowed);
      if (!sender.ok) {
        if (fractureType(e.data) !== null) log(`commands from ${sender.reason}`);
        return;
      }
      const r = parseIncoming(e.data);
      if (!r.ok) {
        if (r.reason !== 'not-fracture') log(r.reason);
        return;
      }
      if (pending === null) {
        frame = requestAnimationFrame(flush);
        timer = setTimeout(flush, FLUSH_FALLBACK_MS);
      }
      pending = foldCommand(pending ?? noCommands(), r.msg);
      // Alternating commands do not fold; apply them now rather than hold an unbounded list.
      if (pending.ops.length >= MAX_PENDING_OPS) flush();
    };
    window.addEventListener('message', onMessage);
    return () => {
      unsubscribe();
      window.removeEventListener('message', onMessage);
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
    // Once per page: a reload of the same run (generation) must not announce ready again.
  }, [loaded, onReady]);
}
