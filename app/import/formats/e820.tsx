/** An e820 map or "node N:" ranges from dmesg: the usable ranges, and a scenario on that layout. */
import { getTools } from '../../tools-client';
import { type FormatView, type FormatViewProps, hex, ScenarioButton } from './shared';

function E820View({ data, info }: FormatViewProps<'e820'>) {
  const e = data.e820;
  return (
    <>
      <p>
        {e.ranges.length} usable range(s), {(e.usableBytes / 2 ** 20).toLocaleString('en-US')} MiB (
        {e.source} map).
        {e.release ? (
          <>
            {' '}
            Kernel {e.release}
            {e.linux ? `: runs the ${e.linux} rules` : ''}.
          </>
        ) : null}
      </p>
      <table className="tools-table" aria-label="Usable ranges">
        <tbody>
          {e.ranges.slice(0, 50).map((r) => (
            <tr key={r.start}>
              <td className="num">{hex(r.start)}</td>
              <td className="num">{hex(r.end)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ScenarioButton
        view={{ step: 0 }}
        build={() =>
          getTools().onHostLayout({ kind: 'scenario', scenario: info.scenario }, e.ranges, e.linux)
        }
      >
        Start a scenario on this host layout
      </ScenarioButton>
    </>
  );
}

export const e820View: FormatView<'e820'> = { name: 'e820 / node memory ranges', View: E820View };
