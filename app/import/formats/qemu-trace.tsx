/** A QEMU kvm_convert_memory trace: the conversions, replayed as share/unshare events. */
import { getTools } from '../../tools-client';
import { type FormatView, type FormatViewProps, ScenarioButton } from './shared';

function QemuView({ data, info }: FormatViewProps<'qemu-trace'>) {
  const ev = data.events;
  const share = ev.filter((e) => e.op === 'share').length;
  const guest = info.guests[0]?.name ?? 'guest 0';
  return (
    <>
      <p>
        {ev.length} conversions: {share} share (private_to_shared), {ev.length - share} unshare
        (shared_to_private).
      </p>
      <ScenarioButton
        build={() =>
          getTools().withConversions({ kind: 'scenario', scenario: info.scenario }, ev, 0)
        }
      >
        Replay as share/unshare events of {guest}
      </ScenarioButton>
    </>
  );
}

export const qemuTraceView: FormatView<'qemu-trace'> = {
  name: 'QEMU kvm_convert_memory trace',
  View: QemuView,
};
