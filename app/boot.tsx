/**
 * The app's React side, imported by the entry (main.tsx) once the engine worker is started and a
 * share link's load is on its way: React, d3 and the panels evaluate while the worker runs.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { compareLinkNotice } from './compare/compare-notice';
import { EmbedApp } from './embed/EmbedApp';
import { isEmbed } from './embed/options';
import { drawImportOverlay } from './import/map-overlay';
import { addHostOverlay } from './map/view-deps';
import { MobileApp } from './mobile/MobileApp';
import { useNarrow } from './mobile/narrow';
import { loadFragment, setFirstRunNotice } from './run/session';
import { isSrcFragment, loadSrcFragment } from './share/src-link';
import { isPromFragment, openPromFragment } from './timeline/prom';
import { currentFragment } from './url';
import './styles.css';

// The entry may have started this fragment's load already (takeEarlyLoad in the session). A
// `#src=` link fetches the user's scenario file first (the only request the app makes, on demand).
performance.mark('fracture:app');
setFirstRunNotice(compareLinkNotice);
addHostOverlay(drawImportOverlay);
const fragment = currentFragment();
void (isSrcFragment(fragment)
  ? loadSrcFragment(fragment)
  : isPromFragment(fragment)
    ? openPromFragment(fragment)
    : loadFragment(fragment));

/** Phones and narrow windows get the read-only viewer; authoring stays on the desktop. */
function Explorer() {
  return useNarrow() ? <MobileApp /> : <App />;
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(<StrictMode>{isEmbed() ? <EmbedApp /> : <Explorer />}</StrictMode>);
}
