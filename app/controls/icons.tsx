/** Small inline icons (no icon font, nothing fetched); the buttons carry the names. */
function Icon(props: { d: string }) {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={props.d} fill="currentColor" />
    </svg>
  );
}

export const PlayIcon = () => <Icon d="M4 2.5v11l9-5.5z" />;
export const PauseIcon = () => <Icon d="M4 2.5h3v11H4zM9 2.5h3v11H9z" />;
export const PrevIcon = () => <Icon d="M3 2.5h2v11H3zM13 2.5v11L6 8z" />;
export const NextIcon = () => <Icon d="M11 2.5h2v11h-2zM3 2.5v11L10 8z" />;
