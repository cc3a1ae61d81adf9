import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadFragment } from './run/session';
import { currentFragment } from './url';
import './styles.css';

// Start the worker's run before React's first render: the first frame comes sooner.
void loadFragment(currentFragment());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
