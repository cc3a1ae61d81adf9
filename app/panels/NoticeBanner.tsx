/** Repairs and errors from a load, named one by one and dismissible — never a silent fix. */
import { memo } from 'react';
import type { ThenNowRow } from '../run/link-notices';
import { dismissNotice, loadFragment, type Notice } from '../run/session';
import { CopyButton } from '../share/CopyButton';

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
            {n.thenNow !== undefined && <ThenNow rows={n.thenNow} />}
            {n.link !== undefined && (
              <div className="notice-link">
                <span>The link:</span>{' '}
                <code>{n.link.length > 120 ? `${n.link.slice(0, 120)}…` : n.link}</code>{' '}
                <CopyButton text={n.link} label="Copy link" />
              </div>
            )}
            {n.action !== undefined && (
              <button
                type="button"
                className="notice-action"
                onClick={() => {
                  const fragment = n.action?.fragment ?? '';
                  dismissNotice(n.id);
                  void loadFragment(fragment);
                }}
              >
                {n.action.label}
              </button>
            )}
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

const kB = (n: number) => `${n.toLocaleString('en-US')} kB`;

/** The counters a link recorded beside today's model at its step (issue 14). */
function ThenNow(props: { rows: ThenNowRow[] }) {
  return (
    <table className="then-now" aria-label="Then and now">
      <thead>
        <tr>
          <th scope="col">At the link's step</th>
          <th scope="col">Then (the link)</th>
          <th scope="col">Now (today's model)</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.counter}>
            <th scope="row">{r.counter}</th>
            <td>{kB(r.recorded)}</td>
            <td className={r.today !== null && r.today !== r.recorded ? 'changed' : ''}>
              {r.today === null ? '…' : kB(r.today)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
