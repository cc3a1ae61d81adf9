import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { EmbedApp } from './embed/EmbedApp';
import { isEmbed } from './embed/options';
import { loadFragment } from './run/session';
import { isSrcFragment, loadSrcFragment } from './share/src-link';
import { currentFragment } from './url';
import './styles.css';

// Start the worker's run before React's first render: the first frame comes sooner. A `#src=`
// link fetches the user's scenario file first (the only request the app makes, on demand).
const fragment = currentFragment();
void (isSrcFragment(fragment) ? loadSrcFragment(fragment) : loadFragment(fragment));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(<StrictMode>{isEmbed() ? <EmbedApp /> : <App />}</StrictMode>);
}
