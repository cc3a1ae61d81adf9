/**
 * Every hardware and kernel rule the engine applies, with its source. Outcomes carry a rule id
 * so the UI can explain what fired and link to the code or the manual. RuleId is derived from
 * this table, and every emit site takes a RuleId, so an unregistered id does not compile. New
 * rules go at the end of rules-causes.ts: an outcome log stores a rule's index in this table.
 */

import type { RuleText } from './rule-text';
import { CAUSE_RULES } from './rules-causes';
import { CORE_RULES } from './rules-core';

export type RuleId = keyof typeof TABLE;

export interface Rule extends RuleText {
  id: RuleId;
}

const TABLE = { ...CORE_RULES, ...CAUSE_RULES } as const;

export const RULES: readonly Rule[] = Object.entries(TABLE).map(([id, r]) => ({
  id: id as RuleId,
  ...r,
}));

export const RULE_INDEX: ReadonlyMap<string, number> = new Map(RULES.map((r, i) => [r.id, i]));

export function ruleIndex(id: RuleId): number {
  const i = RULE_INDEX.get(id);
  if (i === undefined) throw new Error(`unknown rule ${id}`);
  return i;
}
