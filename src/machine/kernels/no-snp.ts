/** Baseline without SEV-SNP: no RMP, so nothing ever checks a write and nothing fractures. */
import { NO_RMP_CAPS } from './caps';
import type { Design } from './design';
import { NO_STATE, noHook } from './design';
import { PLAIN } from './plain';
import { PLAIN_TRAFFIC } from './snp-host';

export const noSnp: Design = {
  ...PLAIN,
  id: 'no-snp',
  label: 'No SNP (baseline)',
  summary: 'No RMP: guest memory is ordinary memory, nothing faults, nothing fractures.',
  plain: PLAIN,
  gmemMapLabel: 'guest_memfd (4K folios)',
  beforeRmpUpdate: noHook,
  afterRmpUpdate: noHook,
  hostWriteFaults: () => false,
  rmpTableBytes: () => 0,
  createState: () => NO_STATE,
  hostTraffic: PLAIN_TRAFFIC,
  caps: NO_RMP_CAPS,
};
