/**
 * The pinned frame inspector: everything the engine knows about one host frame at one step —
 * addresses, direct-map level and the ptdump line that covers it, the RMP entry, the owner guest
 * and GPA, the VMM's backing, why its region is split (SplitWhy.tsx), and the outcomes that
 * touched it with their rule and source.
 */
import { useEffect, useState } from 'react';
import type { FrameInfo, RuleInfo } from '../../src/worker/protocol';
import { currentRun, getEngine, onRunChange } from '../engine-client';
import './inspector.css';
import { runCauses } from './cause-colours';
import { SplitWhy } from './SplitWhy';

function runInfoCauses() {
  const info = currentRun().info;
  return info ? runCauses(info) : undefined;
}

export interface InspectorProps {
  step: number;
  pfn: number | null;
  onClose(): void;
}

function useRunGeneration(): number {
  const [gen, setGen] = useState(() => currentRun().generation);
  useEffect(() => onRunChange((r) => setGen(r.generation)), []);
  return gen;
}

const yes = (b: boolean) => (b ? 'yes' : 'no');

export function Inspector({ step, pfn, onClose }: InspectorProps) {
  const gen = useRunGeneration();
  const [info, setInfo] = useState<FrameInfo | null>(null);
  const [rules, setRules] = useState<Record<string, RuleInfo>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (pfn === null || gen === 0) return;
    let live = true;
    const engine = getEngine();
    engine
      .inspect(step, pfn)
      .then(async (f) => {
        if (!live) return;
        setInfo(f);
        setError(null);
        const ids = [...new Set(f.history.map((h) => h.rule))];
        const found = await Promise.all(ids.map((id) => engine.rule(id)));
        if (!live) return;
        const map: Record<string, RuleInfo> = {};
        for (const r of found) if (r) map[r.id] = r;
        setRules(map);
      })
      .catch((e: unknown) => live && setError(String(e)));
    return () => {
      live = false;
    };
  }, [step, pfn, gen]);

  if (pfn === null) return null;
  const f = info?.pfn === pfn ? info : null;
  return (
    <section
      className="finsp"
      aria-label="Frame inspector"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="finsp-head">
        <h2>
          Frame <code>0x{pfn.toString(16)}</code> <span className="finsp-step">at step {step}</span>
        </h2>
        <button
          type="button"
          className="finsp-close"
          aria-label="Close inspector"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      {error && <p className="finsp-error">{error}</p>}
      {!f && !error && <p className="finsp-wait">Reading the frame…</p>}
      {f && <FrameDetails f={f} rules={rules} />}
    </section>
  );
}

function FrameDetails({ f, rules }: { f: FrameInfo; rules: Record<string, RuleInfo> }) {
  return (
    <>
      <dl className="finsp-grid">
        <dt>Physical address</dt>
        <dd>
          <code>{f.physAddr}</code>
        </dd>
        <dt>Direct-map VA</dt>
        <dd>
          <code>{f.directMapVa}</code>
        </dd>
        <dt>Direct-map page</dt>
        <dd>{f.dmLevel ?? 'not present'}</dd>
        <dt>Page-table walk</dt>
        <dd>{f.tableWalk}</dd>
        <dt>Use</dt>
        <dd>{f.use}</dd>
        <dt>Owner</dt>
        <dd>
          {f.guest ? (f.gpa ? `${f.guest}, GPA ${f.gpa}` : `${f.guest} (host page)`) : 'host'}
        </dd>
        <dt>VMM backing</dt>
        <dd>{f.vmmBacking ?? '—'}</dd>
      </dl>
      <SplitWhy splitBy={f.splitBy} dmLevel={f.dmLevel} causes={runInfoCauses()} />
      <h3>ptdump</h3>
      <pre className="finsp-pre">{f.ptdumpLine || '(not in the direct map)'}</pre>
      <h3>RMP entry</h3>
      <table className="finsp-rmp">
        <tbody>
          <tr>
            <th scope="row">assigned</th>
            <td>{yes(f.rmp.assigned)}</td>
            <th scope="row">page size</th>
            <td>{f.rmp.pagesize}</td>
          </tr>
          <tr>
            <th scope="row">ASID</th>
            <td>{f.rmp.asid}</td>
            <th scope="row">GPA</th>
            <td>
              <code>{f.rmp.gpa ?? '—'}</code>
            </td>
          </tr>
          <tr>
            <th scope="row">validated</th>
            <td>{yes(f.rmp.validated)}</td>
            <th scope="row">immutable</th>
            <td>{yes(f.rmp.immutable)}</td>
          </tr>
          <tr>
            <th scope="row">VMSA</th>
            <td>{yes(f.rmp.vmsa)}</td>
            <td colSpan={2} />
          </tr>
        </tbody>
      </table>
      <h3>History</h3>
      {f.history.length === 0 ? (
        <p className="finsp-wait">Nothing has happened to this frame or its 2 MiB region yet.</p>
      ) : (
        <ol className="finsp-hist">
          {f.history.map((h) => {
            const r = rules[h.rule];
            return (
              <li key={h.index}>
                <code>{h.message}</code>
                <span className="finsp-rule">
                  {r ? (
                    <>
                      {r.title} —{' '}
                      {r.url ? (
                        <a href={r.url} target="_blank" rel="noreferrer">
                          {r.source}
                        </a>
                      ) : (
                        r.source
                      )}
                    </>
                  ) : (
                    h.rule
                  )}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
