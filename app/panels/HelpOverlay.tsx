/** The `?` overlay: every key the app answers to. A modal <dialog>, so focus and Esc are native. */
import { useEffect, useRef } from 'react';
import { useUi } from '../store';

const KEYS: [string, [string, string][]][] = [
  [
    'Anywhere',
    [
      ['Space', 'Play / pause'],
      ['← / →', 'Previous / next step'],
      ['Home / End', 'First / last step'],
      ['s / Shift+s', 'Next / previous direct-map split'],
      ['f / Shift+f', 'Next / previous RMP fault'],
      ['k / Shift+k', 'Next / previous killed guest'],
      ['?', 'Show or hide this list'],
      ['Esc', 'Close this list'],
    ],
  ],
  [
    'On the memory map (click or Tab to it)',
    [
      ['← ↑ → ↓', 'Pan'],
      ['+ / −', 'Zoom in / out (4 KiB cells past a tile)'],
      ['0', 'Fit the whole host'],
      ['Enter', 'Inspect the frame at the centre'],
      ['Esc', 'Close the inspector'],
    ],
  ],
  [
    'Above the map',
    [
      ['Follow', 'Glide to where each step acted, then back out (on in lecture mode and embeds)'],
      ['Go to', 'Type an address (0x4000000, 64M) or a PFN (pfn 0x401f), then Enter'],
    ],
  ],
  [
    'In lecture mode',
    [
      ['PageDown / PageUp', 'Next / previous captioned step (also → / ←)'],
      ['Esc', 'Leave lecture mode'],
    ],
  ],
];

export function HelpOverlay() {
  const open = useUi((s) => s.panels.help);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  // Esc closes the dialog natively, and focus may stay on its Close button (hidden) until the next
  // frame when it was opened from the page itself: Space would then press that button.
  const leave = () => {
    const a = document.activeElement;
    if (a instanceof HTMLElement && ref.current?.contains(a)) a.blur();
  };
  return (
    <dialog
      ref={ref}
      className="help"
      aria-labelledby="help-title"
      onClose={() => {
        leave();
        useUi.getState().togglePanel('help', false);
      }}
      onCancel={leave}
    >
      <h2 id="help-title">Keyboard</h2>
      <table>
        {KEYS.map(([group, keys]) => (
          <tbody key={group}>
            <tr>
              <th scope="colgroup" colSpan={2} className="help-group">
                {group}
              </th>
            </tr>
            {keys.map(([k, what]) => (
              <tr key={k}>
                <th scope="row">
                  <kbd>{k}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      <p>
        Keys do nothing while you type in a field, and the slider keeps its arrows. The step keys
        work wherever a mouse click left the focus: after clicking a backing, → is the next step.
        Radio buttons keep their arrows (and Space, Home, End) when you reach them with Tab.
      </p>
      <form method="dialog">
        <button type="submit" className="primary-button">
          Close
        </button>
      </form>
    </dialog>
  );
}
