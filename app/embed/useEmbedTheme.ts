import { useEffect } from 'react';
import { type Theme, useUi } from '../store';

/** An embed's theme: the link's `theme` option if it has one, applied to the page's root. */
export function useEmbedTheme(fromLink: Theme | null | undefined): Theme {
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    if (fromLink) useUi.getState().setTheme(fromLink);
  }, [fromLink]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  return theme;
}
