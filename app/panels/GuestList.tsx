/** The guests: size, backing and what has become of them at this step. */
import { memo } from 'react';
import type { RunInfo, StepView } from '../../src/worker/protocol';
import { BACKING_LABELS } from '../controls/scenario-edit';
import { formatBytes, formatCount } from './format';

export const GuestList = memo(function GuestList(props: { info: RunInfo; view: StepView | null }) {
  const { info, view } = props;
  if (info.guests.length === 0) return null;
  const shown = info.guests.slice(0, 64);
  return (
    <section className="panel guests" aria-label="Guests">
      <h2 className="panel-title">
        Guests <span className="panel-sub">{info.guests.length}</span>
      </h2>
      <table className="guest-table">
        <thead>
          <tr>
            <th scope="col">guest</th>
            <th scope="col">backing</th>
            <th scope="col">status</th>
            <th scope="col" className="num">
              private
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((g, i) => {
            const s = view?.guests[i];
            return (
              <tr key={g.name} className={`status-${s?.status ?? 'unknown'}`}>
                <th scope="row">
                  {g.name} <span className="guest-ram">{formatBytes(g.memoryBytes)}</span>
                </th>
                <td>
                  {BACKING_LABELS[g.backing]}
                  {!g.snp && ' (no SNP)'}
                </td>
                <td title={s?.reason ?? ''}>
                  <span className="status">{s?.status ?? '…'}</span>
                </td>
                <td className="num">{s ? formatCount(s.privatePages) : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {info.guests.length > shown.length && (
        <p className="panel-note">and {info.guests.length - shown.length} more</p>
      )}
    </section>
  );
});
