/**
 * The reconcile of an import that carries DirectMap totals (meminfo, ptdump) with the model at
 * the current step; a ptdump's layout also goes on the map as agree/differ regions.
 */
import { useEffect, useState } from 'react';
import type { ReconcileResult, RunInfo } from '../../../src/worker/protocol';
import { useUi } from '../../store';
import { getTools } from '../../tools-client';
import { OV_DIFFER, setImportOverlay } from '../map-overlay';
import { hex, OverlayActions, showOnMap, signedKb } from './shared';

export function Reconcile(props: { text: string; info: RunInfo }) {
  const step = useUi((s) => s.step);
  const [r, setR] = useState<ReconcileResult | null>(null);
  useEffect(() => {
    let live = true;
    void getTools()
      .reconcile({ kind: 'scenario', scenario: props.info.scenario }, props.text, step)
      .then((x) => {
        if (!live) return;
        setR(x);
        // A layout goes on the map at once: closing this sheet shows where model and machine differ.
        if (x.ok && x.regions && x.overlay)
          setImportOverlay({
            scenarioDigest: props.info.scenarioDigest,
            title: 'ptdump',
            reconcile: {
              step: x.step,
              regions: x.overlay,
              agree: x.regions.agree,
              differ: x.regions.differ,
            },
            pfns: [],
          });
      });
    return () => {
      live = false;
    };
  }, [props.text, props.info.scenario, props.info.scenarioDigest, step]);
  if (!r) return <p role="status">Reconciling with the model…</p>;
  if (!r.ok) return <p className="tools-note">{r.errors.join('; ')}</p>;
  const m = r.meminfo;
  return (
    <section className="reconcile" aria-label="Reconcile with the model">
      <h3>
        Next to the model ({props.info.title}, step {r.step})
      </h3>
      <table className="tools-table">
        <thead>
          <tr>
            <th scope="col">line</th>
            <th scope="col">model</th>
            <th scope="col">machine</th>
            <th scope="col">machine − model</th>
          </tr>
        </thead>
        <tbody>
          {(['DirectMap4k', 'DirectMap2M', 'DirectMap1G'] as const).map((k) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="num">{m.model[k].toLocaleString('en-US')} kB</td>
              <td className="num">{m.machine[k].toLocaleString('en-US')} kB</td>
              <td className="num">{signedKb(m.delta[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{m.explanation}</p>
      {r.regions && (
        <>
          <p>
            Region by region (2 MiB):{' '}
            <strong>{r.regions.agree.toLocaleString('en-US')} agree</strong>,{' '}
            <strong>{r.regions.differ.toLocaleString('en-US')} differ</strong>,{' '}
            {r.regions.bothUnmapped.toLocaleString('en-US')} unmapped on both sides.
          </p>
          {r.regions.firstDiffs.length > 0 && (
            <ul className="import-diffs" aria-label="First differing ranges">
              {r.regions.firstDiffs.slice(0, 10).map((x) => (
                <li key={x.startBytes}>
                  <code>
                    {hex(x.startBytes)}–{hex(x.endBytes)}
                  </code>
                  : model {x.model ?? 'unmapped'}, machine {x.machine ?? 'unmapped'}{' '}
                  <button
                    type="button"
                    className="text-button"
                    onClick={() => showOnMap(x.startBytes, x.endBytes)}
                  >
                    Show on the map
                  </button>
                </li>
              ))}
            </ul>
          )}
          <OverlayActions
            what="differing regions"
            onShow={() => {
              const first = r.overlay?.indexOf(OV_DIFFER) ?? -1;
              if (first >= 0) showOnMap(first * 2 ** 21, (first + 1) * 2 ** 21);
              else showOnMap(null, null);
            }}
          />
        </>
      )}
    </section>
  );
}
