/**
 * What every SEV-SNP design shares: the host has an RMP, so host writes are checked against it
 * and the RMP table takes memory; nothing happens around an RMPUPDATE unless the design says so;
 * guests without SNP are plain VMs. Designs spread this and override what differs.
 */
import { SNP_VM_CAPS } from './caps';
import type { Design } from './design';
import { NO_STATE, noHook } from './design';
import { PLAIN } from './plain';
import { SNP_TRAFFIC } from './snp-host';

/** RMP: 16 bytes per 4K page of system memory plus 16 KiB of CPU bookkeeping. */
export const snpRmpTableBytes = (totalPages: number): number => totalPages * 16 + 16 * 1024;

export const SNP_HOST: Pick<
  Design,
  | 'plain'
  | 'beforeRmpUpdate'
  | 'afterRmpUpdate'
  | 'hostWriteFaults'
  | 'rmpTableBytes'
  | 'createState'
  | 'hostTraffic'
  | 'caps'
> = {
  plain: PLAIN,
  beforeRmpUpdate: noHook,
  afterRmpUpdate: noHook,
  hostWriteFaults: (m, pfn, level) => m.rmpCheckWrite(pfn, level),
  rmpTableBytes: snpRmpTableBytes,
  createState: () => NO_STATE,
  hostTraffic: SNP_TRAFFIC,
  caps: SNP_VM_CAPS,
};
