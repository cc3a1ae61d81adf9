/** Baseline without SEV-SNP: no RMP, so nothing ever checks a write and nothing fractures. */
import type { Design } from './design';
import { upstream2024 } from './upstream-2024';

export const noSnp: Design = {
  ...upstream2024,
  id: 'no-snp',
  label: 'No SNP (baseline)',
  summary: 'No RMP: guest memory is ordinary memory, nothing faults, nothing fractures.',
  snp: false,
  privateMemory: 'backing',
  beforeRmpUpdate: () => {},
};
