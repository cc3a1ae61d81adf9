/**
 * The entry: start the engine worker and, for a share link, its load before anything else, then
 * import the app (React, d3, panels: ~120 kB gzip to evaluate). The worker parses its bundle and
 * runs the scenario on the other core meanwhile, so the first map frame waits for whichever of
 * the two finishes last instead of their sum. Keep this file's imports tiny (engine-client only).
 */
import { startEarlyLoad } from './engine-client';

const hash = window.location.hash;
// An empty fragment is the default preset and a `#src=` link needs a fetch first: the session
// loads those itself.
if (hash.length > 1 && !/^#?src=/.test(hash)) startEarlyLoad(hash);
void import('./boot');
