/** Repairs and errors from a load, named one by one and dismissible — never a silent fix. */
import { memo } from 'react';
import { dismissNotice, type Notice } from '../run/session';

export const NoticeBanner = memo(function NoticeBanner(props: { notices: Notice[] }) {
  // Always rendered: the app's grid keeps a row for it.
  return (
    <div className="notices">
      {props.notices.map((n) => (
        <div
          key={n.id}
          className={`notice ${n.tone}`}
          role={n.tone === 'error' ? 'alert' : 'status'}
        >
          <div className="notice-body">
            <strong>{n.title}</strong>
            <ul>
              {n.messages.slice(0, 8).map((m, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
                <li key={i}>{m}</li>
              ))}
              {n.messages.length > 8 && <li>and {n.messages.length - 8} more</li>}
            </ul>
          </div>
          <button
            type="button"
            className="close"
            aria-label="Dismiss"
            onClick={() => dismissNotice(n.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
});
