/**
 * Dave Hansen's "stronger contract" (25 Mar 2021, never merged), modelled as a what-if: the guest
 * announces every share and the host moves the shared page into one dedicated area. Guest RAM is
 * allocated and kept in whole 2 MiB units (the host is free to choose placement), so a 2 MiB
 * region holds one guest's private pages or sequestered shared pages, never both, and never host
 * pages. No RMPUPDATE needs a split: a host write can only fault by writing guest-private memory,
 * which the contract forbids. The original private frame stays with the guest while the page is
 * shared (counted as double-backed).
 */
import type { Design } from './design';

export const sequester: Design = {
  id: 'sequester',
  label: 'Sequestered sharing (Dave’s contract)',
  summary:
    'The host moves every shared page into one dedicated area; guest regions never mix, nothing splits for sharing.',
  snp: true,
  privateMemory: 'backing',
  gmemFolio: '4k',
  inPlaceShared: false,
  sequester: true,
  onRegister: () => null,
  beforeRmpUpdate: () => {},
  afterRmpUpdate: () => {},
};
