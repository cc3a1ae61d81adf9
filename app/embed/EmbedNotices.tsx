/**
 * The embed's notices: one compact line each above the map, so an audience is never shown a
 * fallback scenario or a repaired link as if it were the one the slide meant. The full messages
 * are the line's tooltip; × dismisses it. Styled inline from the app's notice colours.
 */
import { type CSSProperties, memo } from 'react';
import { dismissNotice, type Notice } from '../run/session';

const LINE: CSSProperties = {
  flex: 'none',
  display: 'flex',
  alignItems: 'center',
  gap: '0.5em',
  margin: 0,
  padding: '0.15em 0.5em',
  fontSize: '0.6em',
  lineHeight: 1.3,
  borderRadius: '4px',
  border: '1px solid var(--warn-border)',
  background: 'var(--warn-bg)',
  color: 'var(--fg)',
};
const ERROR: CSSProperties = { borderColor: 'var(--error-border)', background: 'var(--error-bg)' };
const TEXT: CSSProperties = {
  flex: 1,
  minWidth: 0,
  whiteSpace: 'nowrap',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
};
const CLOSE: CSSProperties = {
  border: 0,
  background: 'none',
  color: 'inherit',
  font: 'inherit',
  cursor: 'pointer',
  padding: '0 0.2em',
};

export const EmbedNotices = memo(function EmbedNotices(props: { notices: Notice[] }) {
  if (props.notices.length === 0) return null;
  return (
    <>
      {props.notices.map((n) => (
        <p
          key={n.id}
          className="embed-notice"
          role={n.tone === 'error' ? 'alert' : 'status'}
          style={n.tone === 'error' ? { ...LINE, ...ERROR } : LINE}
          title={[n.title, ...n.messages].join('\n')}
        >
          <span style={TEXT}>{n.brief}</span>
          <button
            type="button"
            style={CLOSE}
            aria-label="Dismiss"
            onClick={() => dismissNotice(n.id)}
          >
            ×
          </button>
        </p>
      ))}
    </>
  );
});
