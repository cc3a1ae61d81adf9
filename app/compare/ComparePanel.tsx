import type { RunInfo } from '../../src/worker/protocol';
import type { RunSource } from '../url';

export function ComparePanel(_props: { info: RunInfo; source: RunSource }) {
  return <p>Compare is coming.</p>;
}
