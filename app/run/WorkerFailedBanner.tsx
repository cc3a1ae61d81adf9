/**
 * A worker that stopped, said as it happened, with the way back: the engine's (a new worker runs
 * the same source at the same view) or the tools worker's (a new one for the next import or
 * sweep). Without it a dead worker left "Running…" on screen forever.
 */
import { reloadRun, restartTools, useRunPart } from './session';
// Shown over the page like a `#src=` error (.src-error: fixed, top centre).
import '../share/share.css';

export function WorkerFailedBanner() {
  const engine = useRunPart((s) => s.engineFailure);
  const tools = useRunPart((s) => s.toolsFailure);
  if (engine === null && tools === null) return null;
  return (
    <>
      {engine !== null && (
        <div className="notice error src-error worker-failed" role="alert">
          <div className="notice-body">
            <strong>The engine worker stopped: {engine}</strong>
            <p>The run cannot be stepped or drawn until the engine is started again.</p>
          </div>
          <button type="button" className="text-button" onClick={() => void reloadRun()}>
            Reload the run
          </button>
        </div>
      )}
      {tools !== null && (
        <div className="notice error src-error worker-failed" role="alert">
          <div className="notice-body">
            <strong>The tools worker stopped: {tools}</strong>
            <p>Imports and sweeps need a new tools worker; the run itself is unaffected.</p>
          </div>
          <button type="button" className="text-button" onClick={restartTools}>
            Restart the tools worker
          </button>
        </div>
      )}
    </>
  );
}
