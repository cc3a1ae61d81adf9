/** A ptdump (/sys/kernel/debug/page_tables/kernel): its direct map, DirectMap totals, reconcile. */
import { formatMeminfo } from '../../../src/formats/index';
import { Reconcile } from './reconcile';
import { type FormatView, type FormatViewProps, hex } from './shared';

function PtdumpView({ data: d, text, info }: FormatViewProps<'ptdump'>) {
  return (
    <>
      <p className="tools-note">
        Direct map at {hex(d.ptdump.pageOffsetBase)} ({d.ptdump.baseSource}),{' '}
        {d.ptdump.fiveLevel ? '5' : '4'}-level page tables, {d.ptdump.pieces.length} runs.
      </p>
      <pre className="tools-pre" title="Imported DirectMap totals">
        {formatMeminfo(d.meminfo, true)}
      </pre>
      <Reconcile text={text} info={info} />
    </>
  );
}

export const ptdumpView: FormatView<'ptdump'> = {
  name: 'ptdump (kernel page tables)',
  View: PtdumpView,
};
