/**
 * The selected outcome in plain words: what happened, which rule fired, which kernel function or
 * AMD instruction that rule models, and a link to its source.
 */
import { memo, useEffect, useState } from 'react';
import type { OutcomeRow, RuleInfo } from '../../src/worker/protocol';
import { getEngine } from '../engine-client';
import { useUi } from '../store';
import { hex } from './format';
import { kindMeta } from './kinds';

export const ExplanationPanel = memo(function ExplanationPanel(props: { generation: number }) {
  const index = useUi((s) => s.selectedOutcome);
  const [row, setRow] = useState<OutcomeRow | null>(null);
  const [rule, setRule] = useState<RuleInfo | null>(null);

  useEffect(() => {
    let live = true;
    setRow(null);
    setRule(null);
    if (index === null || props.generation === 0) return;
    void (async () => {
      const r = await getEngine().outcomes({ from: index, count: 1 });
      const found = r.rows.find((x) => x.index === index) ?? r.rows[0] ?? null;
      if (!live || !found) return;
      setRow(found);
      const info = await getEngine().rule(found.rule);
      if (live) setRule(info);
    })();
    return () => {
      live = false;
    };
  }, [index, props.generation]);

  if (index === null) return null;
  const meta = row ? kindMeta(row.kind) : null;
  const ui = useUi.getState();

  return (
    <section className="panel explanation" aria-label="Outcome explanation">
      <h2 className="panel-title">
        {meta && <span className="swatch big" style={{ background: meta.color }} />}
        {meta ? meta.label : 'Outcome'}
        {row && <span className="panel-sub">step {row.step}</span>}
        <button
          type="button"
          className="close"
          aria-label="Close explanation"
          onClick={() => ui.selectOutcome(null)}
        >
          ×
        </button>
      </h2>
      {row && (
        <>
          <pre className="dmesg-line">{row.message}</pre>
          {meta?.what && <p>{meta.what}</p>}
          {rule && (
            <dl className="rule">
              <dt>Rule</dt>
              <dd>
                <strong>{rule.title}</strong> — {rule.explain}
              </dd>
              <dt>Models</dt>
              <dd>
                <code>{rule.source}</code>
              </dd>
              {rule.url !== '' && (
                <>
                  <dt>Source</dt>
                  <dd>
                    <a href={rule.url} target="_blank" rel="noreferrer noopener">
                      {rule.url.replace(/^https:\/\//, '')}
                    </a>
                  </dd>
                </>
              )}
            </dl>
          )}
          <p className="frame-line">
            {row.guest !== null && (
              <span>
                guest <b>{row.guest}</b>
              </span>
            )}
            {row.gpa >= 0 && (
              <span>
                GPA <code>{hex(row.gpa)}</code>
              </span>
            )}
            {row.pfn >= 0 && (
              <button type="button" className="link-button" onClick={() => ui.selectPfn(row.pfn)}>
                PFN {hex(row.pfn)}
              </button>
            )}
          </p>
        </>
      )}
    </section>
  );
});
