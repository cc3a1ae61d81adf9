/**
 * The entry: start the engine worker and, for a share link, its load before anything else, then
 * import the app (React, d3, panels: ~120 kB gzip to evaluate). The worker parses its bundle and
 * runs the scenario on the other core meanwhile, so the first map frame waits for whichever of
 * the two finishes last instead of their sum. Keep this file's imports tiny (engine-client only).
 */
import { startEarlyLoad } from './engine-client';

// User-timing marks (fracture:*) let the bench and a profile split the first frame's path.
performance.mark('fracture:entry');
const hash = window.location.hash;
// An empty fragment is the default preset, a `#src=` link needs a fetch first and a `#prom=`
// link opens a timeline: the session loads those itself.
if (hash.length > 1 && !/^#?(?:src|prom)=/.test(hash)) startEarlyLoad(hash);
// Evaluate the app's big dependencies one per task: until this thread returns to its event loop,
// the browser does not hand the load message to the worker once it has started, so one long
// evaluation of everything would hold the worker idle (~300 ms measured under load).
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
void (async () => {
  await import('react-dom/client');
  await nextTask();
  await import('d3-zoom');
  await nextTask();
  await import('./boot');
})();
