/** A /proc/meminfo snapshot (with /proc/vmstat when pasted together): totals and reconcile. */
import { formatMeminfo, formatVmstat } from '../../../src/formats/index';
import { Reconcile } from './reconcile';
import type { FormatView, FormatViewProps } from './shared';

function MeminfoView({ data: d, text, info }: FormatViewProps<'meminfo'>) {
  return (
    <>
      <pre className="tools-pre" title="Imported DirectMap totals">
        {formatMeminfo(d.meminfo, d.gbpages)}
        {d.vmstat ? formatVmstat(d.vmstat) : ''}
      </pre>
      <Reconcile text={text} info={info} />
    </>
  );
}

export const meminfoView: FormatView<'meminfo'> = { name: '/proc/meminfo', View: MeminfoView };
