/**
 * Outcome log rows as the worker sends them: the row's fields and its dmesg-like message
 * (worded in src/formats/outcomes.ts).
 */
import { logMessage } from '../formats/outcomes';
import type { Machine } from '../machine/machine';
import type { Outcome } from '../machine/outcomes';
import type { OutcomeRow } from './protocol';

export function outcomeRow(m: Machine, index: number, o: Outcome): OutcomeRow {
  const name = o.guest >= 0 ? (m.guests[o.guest]?.spec.name ?? `g${o.guest}`) : null;
  return {
    index,
    step: o.step,
    kind: o.kind,
    rule: o.rule,
    guest: name,
    pfn: o.pfn,
    gpa: o.gpa,
    message: logMessage(o, name ?? 'host', m.spec.host.la57),
  };
}
