/** A /proc/vmstat snapshot: its direct_map_* split counters. */
import { formatVmstat } from '../../../src/formats/index';
import type { FormatView, FormatViewProps } from './shared';

function VmstatView({ data }: FormatViewProps<'vmstat'>) {
  return <pre className="tools-pre">{formatVmstat(data.vmstat)}</pre>;
}

export const vmstatView: FormatView<'vmstat'> = { name: '/proc/vmstat', View: VmstatView };
