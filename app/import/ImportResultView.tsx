/** What an import found: the detected format and, per format, what the user can do with it. */
import { useEffect, useState } from 'react';
import type { ImportData, ImportResult, PairResult } from '../../src/formats/index';
import { formatMeminfo, formatVmstat } from '../../src/formats/index';
import type { ReconcileResult, RunInfo } from '../../src/worker/protocol';
import { formatDelta } from '../panels/format';
import { loadSource } from '../run/session';
import { useUi } from '../store';
import { getTools } from '../tools-client';
import { OV_DIFFER, setImportOverlay, useImportOverlay } from './map-overlay';
import { errorLine } from './read';

const hex = (n: number | bigint) => `0x${n.toString(16)}`;
/** machine − model in kB, signed as the counters panel signs deltas ("+2,048", "−287"). */
const signedKb = (kb: number) => `${kb === 0 ? '0' : formatDelta(kb)} kB`;

/**
 * What the sheet focuses once a result is shown: the Import button is disabled while parsing,
 * which drops focus to <body>, where Esc no longer reaches the sheet.
 */
export const RESULT_HEADING = 'data-result-heading';
const heading = { [RESULT_HEADING]: '', tabIndex: -1 };
const FORMAT_NAMES: Record<ImportData['format'], string> = {
  ptdump: 'ptdump (kernel page tables)',
  meminfo: '/proc/meminfo',
  vmstat: '/proc/vmstat',
  e820: 'e820 / node memory ranges',
  'snp-rmp': 'SEV-SNP RMP messages',
  'qemu-trace': 'QEMU kvm_convert_memory trace',
};

function Errors(props: { errors: { line: number; message: string; expected: string }[] }) {
  return (
    <div className="tools-error" role="alert">
      <p {...heading}>The text could not be imported:</p>
      <ul>
        {props.errors.slice(0, 20).map((e) => (
          <li key={errorLine(e)}>{errorLine(e)}</li>
        ))}
      </ul>
    </div>
  );
}

export function ImportResultView(props: {
  result: ImportResult;
  text: string;
  name: string | null;
  info: RunInfo;
}) {
  const { result: r } = props;
  if (!r.ok) return <Errors errors={r.errors} />;
  const d = r.data;
  return (
    <section className="import-result" aria-label="Import result">
      <h3 {...heading}>Detected: {FORMAT_NAMES[d.format]}</h3>
      <p className="tools-note">{r.detection.reason}</p>
      {r.warnings.length > 0 && (
        <ul className="import-warnings">
          {r.warnings.slice(0, 10).map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <ImportedData data={d} text={props.text} info={props.info} />
    </section>
  );
}

function ImportedData(props: { data: ImportData; text: string; info: RunInfo }) {
  const { data: d, info } = props;
  switch (d.format) {
    case 'ptdump':
    case 'meminfo':
      return (
        <>
          {d.format === 'ptdump' && (
            <p className="tools-note">
              Direct map at {hex(d.ptdump.pageOffsetBase)} ({d.ptdump.baseSource}),{' '}
              {d.ptdump.fiveLevel ? '5' : '4'}-level page tables, {d.ptdump.pieces.length} runs.
            </p>
          )}
          <pre className="tools-pre" title="Imported DirectMap totals">
            {formatMeminfo(d.meminfo, d.format === 'ptdump' || d.gbpages)}
            {d.format === 'meminfo' && d.vmstat ? formatVmstat(d.vmstat) : ''}
          </pre>
          <Reconcile text={props.text} info={info} />
        </>
      );
    case 'vmstat':
      return <pre className="tools-pre">{formatVmstat(d.vmstat)}</pre>;
    case 'e820':
      return <E820View data={d} info={info} />;
    case 'snp-rmp':
      return <SnpView data={d} info={info} />;
    case 'qemu-trace':
      return <QemuView data={d} info={info} />;
  }
}

function Reconcile(props: { text: string; info: RunInfo }) {
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

/** Close the sheet and show the direct-map layer, zoomed to a byte range when given one. */
function showOnMap(start: number | null, end: number | null): void {
  const ui = useUi.getState();
  ui.setTool(null);
  ui.setLayer('direct-map');
  if (start !== null && end !== null) ui.setZoom(contextAround(start, end));
}

/**
 * A byte range to zoom to around [start, end): a few 2 MiB regions either side within the 64 MiB
 * row of tiles it starts in (the map's row), or whole rows for a longer range.
 */
function contextAround(start: number, end: number): { start: number; end: number } {
  const region = 2 ** 21;
  const row = 32 * region;
  const rowStart = Math.floor(start / row) * row;
  if (end - start > 8 * region) return { start: rowStart, end: Math.ceil(end / row) * row };
  return {
    start: Math.max(rowStart, Math.floor(start / region) * region - 4 * region),
    end: Math.min(rowStart + row, Math.ceil(end / region) * region + 4 * region),
  };
}

/** The overlay's own controls: show it (closing the sheet) or take it off the map. */
function OverlayActions(props: { what: string; onShow: () => void }) {
  const o = useImportOverlay();
  return (
    <p className="overlay-actions">
      {o ? (
        <>
          <span className="tools-note">The {props.what} are drawn on the memory map. </span>
          <button type="button" className="text-button" onClick={props.onShow}>
            Show the overlay on the map
          </button>{' '}
          <button type="button" className="text-button" onClick={() => setImportOverlay(null)}>
            Clear the map overlay
          </button>
        </>
      ) : (
        <span className="tools-note">No import overlay on the map.</span>
      )}
    </p>
  );
}

function useAction(): [string | null, (f: () => Promise<string | null>) => void] {
  const [err, setErr] = useState<string | null>(null);
  return [err, (f) => void f().then(setErr, (e: unknown) => setErr(String(e)))];
}

function E820View(props: { data: Extract<ImportData, { format: 'e820' }>; info: RunInfo }) {
  const e = props.data.e820;
  const [err, act] = useAction();
  return (
    <>
      <p>
        {e.ranges.length} usable range(s), {(e.usableBytes / 2 ** 20).toLocaleString('en-US')} MiB (
        {e.source} map).
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
      <button
        type="button"
        className="primary-button"
        onClick={() =>
          act(async () => {
            const r = await getTools().onHostLayout(
              { kind: 'scenario', scenario: props.info.scenario },
              e.ranges,
            );
            if (!r.ok) return r.errors.join('; ');
            useUi.getState().setTool(null);
            return (await loadSource({ kind: 'scenario', scenario: r.scenario }, { step: 0 }))
              ? null
              : 'the scenario did not load (see the notice)';
          })
        }
      >
        Start a scenario on this host layout
      </button>
      {err && <p role="alert">{err}</p>}
    </>
  );
}

function SnpView(props: { data: Extract<ImportData, { format: 'snp-rmp' }>; info: RunInfo }) {
  const s = props.data.snp;
  const pages = props.info.totalPages;
  const digest = props.info.scenarioDigest;
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
              {[
                'PFN',
                'assigned',
                'page size',
                'immutable',
                'GPA',
                'ASID',
                'VMSA',
                'validated',
              ].map((h) => (
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

function QemuView(props: { data: Extract<ImportData, { format: 'qemu-trace' }>; info: RunInfo }) {
  const ev = props.data.events;
  const share = ev.filter((e) => e.op === 'share').length;
  const guest = props.info.guests[0]?.name ?? 'guest 0';
  const [err, act] = useAction();
  return (
    <>
      <p>
        {ev.length} conversions: {share} share (private_to_shared), {ev.length - share} unshare
        (shared_to_private).
      </p>
      <button
        type="button"
        className="primary-button"
        onClick={() =>
          act(async () => {
            const r = await getTools().withConversions(
              { kind: 'scenario', scenario: props.info.scenario },
              ev,
              0,
            );
            if (!r.ok) return r.errors.join('; ');
            useUi.getState().setTool(null);
            return (await loadSource({ kind: 'scenario', scenario: r.scenario }))
              ? null
              : 'the scenario did not load (see the notice)';
          })
        }
      >
        Replay as share/unshare events of {guest}
      </button>
      {err && <p role="alert">{err}</p>}
    </>
  );
}

export function PairResultView(props: { result: PairResult }) {
  const r = props.result;
  if (!r.ok) {
    return <Errors errors={r.errors.map((e) => ({ ...e, message: `${e.which}: ${e.message}` }))} />;
  }
  return (
    <section className="import-result" aria-label="Split decomposition">
      <h3 {...heading}>
        {r.before.format} → {r.after.format}
      </h3>
      {r.vmstat ? (
        <pre className="tools-pre">{formatVmstat(r.vmstat)}</pre>
      ) : (
        <p role="alert">The difference cannot come from splits alone.</p>
      )}
      {r.decomposition?.ok && <p>{r.decomposition.explanation}</p>}
      {r.notes.map((n) => (
        <p key={n}>{n}</p>
      ))}
    </section>
  );
}
