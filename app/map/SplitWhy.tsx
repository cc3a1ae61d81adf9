/**
 * The inspector's answer to "why is this region split, by what call, at which step, and can it
 * heal?" (issue 17), from FrameInfo.splitBy: the 2 MiB region's split (pmd) and its 1 GiB
 * block's (pud), each with its cause (a proposal said to be one), the set_memory_* or
 * set_direct_map_* call, the step and rule of the split, and whether set_memory_rox can still
 * collapse it (6.15+, no _PAGE_KERNEL_4K, all 512 PTEs present and alike); a recorded call's
 * split (cause "recorded", issue 18) also names the caller the recording saw.
 */
import type { CauseInfo, FrameInfo, SplitProvenance } from '../../src/worker/protocol';

type Provenance = SplitProvenance;
type SplitBy = NonNullable<FrameInfo['splitBy']>;

function when(p: Provenance): string {
  if (p.status === 'layout' || p.call === 'layout') return 'as the kernel laid out the direct map';
  if (p.step === null) return 'while booting';
  return p.step === 0 ? 'at step 0 (boot)' : `at step ${p.step}`;
}

function heal(p: Provenance): string {
  if (p.status === 'layout') return 'no: the boot layout maps it so';
  return p.canHeal
    ? 'yes: a set_memory_rox over it can collapse it back (6.15+)'
    : 'no: nothing collapses it on this kernel';
}

function Split(props: { what: string; p: Provenance }) {
  const { what, p } = props;
  const proposal = p.status === 'proposal' && !/proposal/i.test(p.label) ? ' (proposal)' : '';
  return (
    <dl className="finsp-grid finsp-why" aria-label={what}>
      <dt>{what}</dt>
      <dd>
        <strong className={p.status === 'proposal' ? 'finsp-proposal' : ''}>
          {p.label}
          {proposal}
        </strong>
      </dd>
      <dt>by the call</dt>
      <dd>
        <code>{p.call === 'layout' ? 'boot layout' : `${p.call}()`}</code>
      </dd>
      {p.caller !== undefined && (
        <>
          <dt>recorded caller</dt>
          <dd>
            <code>{p.caller}</code>
          </dd>
        </>
      )}
      <dt>when</dt>
      <dd>
        {when(p)}
        {p.rule !== null && (
          <>
            {' '}
            (<code>{p.rule}</code>)
          </>
        )}
      </dd>
      <dt>can it heal?</dt>
      <dd>{heal(p)}</dd>
    </dl>
  );
}

/** The section, or a line saying the region is whole. */
export function SplitWhy(props: {
  splitBy: SplitBy | undefined;
  dmLevel: string | null;
  /** The run's causes (RunInfo.causes): their labels and status win (an SNP RFC is a proposal). */
  causes?: readonly CauseInfo[] | undefined;
}) {
  const s = props.splitBy;
  const known = new Map((props.causes ?? []).map((c) => [c.id, c]));
  const named = (p: Provenance): Provenance => {
    const c = known.get(p.cause);
    return c ? { ...p, label: c.label, status: c.status } : p;
  };
  if (s === undefined) return null;
  return (
    <>
      <h3>Why is it split?</h3>
      {s.pmd === null && s.pud === null ? (
        <p className="finsp-wait">
          {props.dmLevel === null
            ? 'Not in the direct map.'
            : props.dmLevel === '4K'
              ? 'Mapped with 4K pages since boot: the boot layout (the first 2 MiB, the edges of RAM ranges), no call split it.'
              : `Not split: mapped by a whole ${props.dmLevel} page.`}
        </p>
      ) : (
        <>
          {s.pmd && <Split what="2 MiB region split to 4K by" p={named(s.pmd)} />}
          {s.pud && <Split what="1 GiB block split to 2M by" p={named(s.pud)} />}
        </>
      )}
    </>
  );
}
