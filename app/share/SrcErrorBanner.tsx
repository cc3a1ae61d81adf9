/** Why a `#src=` link did not load: the fetch, the JSON or the scenario's validation. */
import { dismissSrcError, useSrcError } from './src-link';
import './share.css';

export function SrcErrorBanner() {
  const e = useSrcError();
  if (!e) return null;
  return (
    <div className="notice error src-error" role="alert">
      <div className="notice-body">
        <strong>{e.title}</strong>
        {e.url !== '' && (
          <p>
            From <code>{e.url}</code>
          </p>
        )}
        <ul>
          {e.messages.slice(0, 8).map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </div>
      <button type="button" className="close" aria-label="Dismiss" onClick={dismissSrcError}>
        ×
      </button>
    </div>
  );
}
