/**
 * Where the timeline sheet mounts in the explorer: nothing until a recording, an answer or a
 * `#prom=` link is opened, then the sheet, loaded on first use.
 */
import { lazy, Suspense } from 'react';
import { useTimeline } from './state';

const TimelineSheet = lazy(() => import('./TimelineSheet'));

export function TimelineSlot() {
  const open = useTimeline((s) => s.shown.kind !== 'none');
  if (!open) return null;
  return (
    <Suspense fallback={<div className="tools-loading">Loading…</div>}>
      <TimelineSheet />
    </Suspense>
  );
}
