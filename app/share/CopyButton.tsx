import { useState } from 'react';
import { copyText } from './Dialog';

/** A button that copies text and says so for a moment. */
export function CopyButton(props: { text: string | (() => Promise<string>); label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="text-button"
      onClick={async () => {
        const text = typeof props.text === 'string' ? props.text : await props.text();
        setState((await copyText(text)) ? 'copied' : 'failed');
        window.setTimeout(() => setState('idle'), 1500);
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : props.label}
    </button>
  );
}
