import { describe, expect, it } from 'vitest';
import { linuxChoices, linuxRulesText } from './linux-choice';

const k = (runs: string, era: string) => ({
  runs,
  era,
  base: era,
  known: ['5.12', '6.1', '6.11', '6.12', '6.15'],
  nearest: runs === '6.8' ? '6.1' : runs,
});

describe('the host kernel choices', () => {
  it('mark the era, put 6.12-rhel10 after 6.12 and name the rules it follows', () => {
    const c = linuxChoices('6.11', k('6.11', '6.11'));
    expect(c.map((x) => x.value)).toEqual(['5.12', '6.1', '6.11', '6.12', '6.12-rhel10', '6.15']);
    expect(c.find((x) => x.value === '6.11')?.label).toBe("6.11 (design's era)");
    expect(c.find((x) => x.value === '6.12-rhel10')?.label).toBe('6.12-rhel10 (6.15 rules)');
    expect(c.find((x) => x.value === '6.15')?.label).toBe('6.15');
  });

  it('keep a version the model has no rule set for, saying whose rules it runs', () => {
    const c = linuxChoices('6.8', k('6.8', '6.11'));
    expect(c[0]).toEqual({ value: '6.8', label: '6.8 (6.1 rules)' });
  });

  it('say what a version changes: 6.15 and the RHEL 10 backport, not 6.12', () => {
    expect(linuxRulesText('6.15')).toMatch(/_PAGE_KERNEL_4K.*collapses/);
    expect(linuxRulesText('6.12-rhel10')).toMatch(/backported from 6\.15/);
    expect(linuxRulesText('6.12')).toMatch(/^before 6\.15/);
  });
});
