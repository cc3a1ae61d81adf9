/**
 * What an import found: the detected format, its notes, and the format's own view (formats/,
 * one file per format, chosen through formats/registry.ts); errors; a pair's decomposition.
 */
import type { ImportResult, PairResult } from '../../src/formats/index';
import { formatVmstat } from '../../src/formats/index';
import type { RunInfo } from '../../src/worker/protocol';
import { viewFor } from './formats/registry';
import { heading } from './formats/shared';
import { errorLine } from './read';

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
  const { name, View } = viewFor(r.data);
  return (
    <section className="import-result" aria-label="Import result">
      <h3 {...heading}>Detected: {name}</h3>
      <p className="tools-note">{r.detection.reason}</p>
      {r.warnings.length > 0 && (
        <ul className="import-warnings">
          {r.warnings.slice(0, 10).map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <View data={r.data} text={props.text} info={props.info} />
    </section>
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
