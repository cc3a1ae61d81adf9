/**
 * SEV-SNP RMP messages from dmesg (#PF RMP violation, RMPUPDATE failed, split failures): the
 * decoded entries, each frame and its 2 MiB region on the map.
 */
import { useEffect } from 'react';
import { useUi } from '../../store';
import { setImportOverlay } from '../map-overlay';
import { type FormatView, type FormatViewProps, hex, OverlayActions, showOnMap } from './shared';

const ENTRY_COLUMNS = [
  'PFN',
  'assigned',
  'page size',
  'immutable',
  'GPA',
  'ASID',
  'VMSA',
  'validated',
];

function SnpView({ data, info }: FormatViewProps<'snp-rmp'>) {
  const s = data.snp;
  const pages = info.totalPages;
  const digest = info.scenarioDigest;
  const named = [
    s.fault?.pfn ?? null,
    s.unassigned?.pfn ?? null,
    ...s.entries.map((e) => e.pfn),
    ...s.rmpupdateFailures.map((f) => f.pfn),
    ...s.splitFailures.map((f) => f.pfn),
  ].filter((p): p is number => p !== null);
  const pfnKey = [...new Set(named)].join(',');
  const firstOnHost = named.find((p) => p < pages);
  // Every decoded frame goes on the map with its 2 MiB region (the PSMASH / 2M-entry unit).
  useEffect(() => {
    const pfns = pfnKey === '' ? [] : pfnKey.split(',').map(Number);
    setImportOverlay({
      scenarioDigest: digest,
      title: 'SEV-SNP RMP messages',
      reconcile: null,
      pfns,
    });
  }, [pfnKey, digest]);
  const show = (pfn: number) => {
    const ui = useUi.getState();
    showOnMap(pfn * 4096, pfn * 4096 + 4096);
    ui.setLayer('rmp');
    ui.selectPfn(pfn);
  };
  return (
    <>
      {s.explanation.map((x) => (
        <p key={x}>{x}</p>
      ))}
      {s.entries.length > 0 && (
        <table className="tools-table" aria-label="RMP entries">
          <thead>
            <tr>
              {ENTRY_COLUMNS.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
              <th scope="col">
                <span className="sr-only">Map</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {s.entries.map((e) => (
              <tr key={e.pfn}>
                <td className="num">{hex(e.pfn)}</td>
                <td>{e.assigned ? 'yes' : 'no'}</td>
                <td>{e.pagesize}</td>
                <td>{e.immutable ? 'yes' : 'no'}</td>
                <td className="num">{hex(e.gpa)}</td>
                <td className="num">{e.asid}</td>
                <td>{e.vmsa ? 'yes' : 'no'}</td>
                <td>{e.validated ? 'yes' : 'no'}</td>
                <td>
                  {e.pfn < pages ? (
                    <button type="button" className="text-button" onClick={() => show(e.pfn)}>
                      Show PFN {hex(e.pfn)} on the map
                    </button>
                  ) : (
                    <span className="tools-note">beyond this host's {hex(pages)} frames</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s.regions.map((r) => (
        <p key={r.pfnStart} className="tools-note">
          2 MiB region: PFN {hex(r.pfnStart)}–{hex(r.pfnEnd)}
        </p>
      ))}
      {firstOnHost !== undefined && (
        <OverlayActions
          what="frames and their 2 MiB regions"
          onShow={() => {
            // No selection: the inspector would cover the marks it is meant to show.
            showOnMap(firstOnHost * 4096, firstOnHost * 4096 + 4096);
            useUi.getState().setLayer('rmp');
          }}
        />
      )}
    </>
  );
}

export const snpRmpView: FormatView<'snp-rmp'> = { name: 'SEV-SNP RMP messages', View: SnpView };
