import type { RunInfo } from '../../src/worker/protocol';
import type { RunSource } from '../url';

export function ImportPanel(_props: { info: RunInfo; source: RunSource }) {
  return <p>Import is coming.</p>;
}
