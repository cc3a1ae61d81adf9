/**
 * Playing: advance the UI step on a timer, at most ~30 ticks a second whatever the speed (fast
 * speeds skip steps rather than flood the worker). Step answers are fetched latest-only by the
 * panels, so a slow worker makes playback coarser, never blocks the main thread. While the
 * worker is still computing the run, playing waits at the last computed step and goes on from
 * there (no jump) as more is computed.
 */
import { useEffect } from 'react';
import { useUi } from '../store';

const MIN_TICK_MS = 33;

export function usePlayback(): void {
  const playing = useUi((s) => s.playing);
  const speed = useUi((s) => s.speed);

  useEffect(() => {
    if (!playing) return;
    let startStep = useUi.getState().step;
    let startMs = performance.now();
    const tickMs = Math.max(MIN_TICK_MS, 1000 / speed);
    let timer = 0;
    const tick = () => {
      const ui = useUi.getState();
      if (!ui.playing) return;
      const now = performance.now();
      const target = startStep + Math.floor(((now - startMs) * speed) / 1000);
      const next = Math.min(ui.computed, Math.max(target, ui.step));
      if (next !== ui.step) ui.seek(next);
      if (next >= ui.maxStep) {
        ui.setPlaying(false);
        return;
      }
      if (target > next) {
        // At the computed frontier: restart the clock from here.
        startStep = next;
        startMs = now;
      }
      timer = window.setTimeout(tick, tickMs);
    };
    timer = window.setTimeout(tick, tickMs);
    return () => window.clearTimeout(timer);
  }, [playing, speed]);
}
