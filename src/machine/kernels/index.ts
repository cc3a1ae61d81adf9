/**
 * The registry of kernel designs: one line per design, in the order the UI and sweeps list them.
 * The names are KERNEL_DESIGNS in events.ts (the scenario's vocabulary, kept free of engine code
 * for the schema and the app); the compiler checks that both list the same designs.
 */
import type { KernelDesign } from '../events';
import type { Design } from './design';
import { gmem1gRfc } from './gmem-1g-rfc';
import { gmemThpRfc } from './gmem-thp-rfc';
import { hugetlbBan2022 } from './hugetlb-ban-2022';
import { noSnp } from './no-snp';
import { rfc2021 } from './rfc-2021';
import { sequester } from './sequester';
import { unmap2023 } from './unmap-2023';
import { upstream2024 } from './upstream-2024';

export const DESIGNS: Readonly<Record<KernelDesign, Design>> = {
  'rfc-2021': rfc2021,
  'hugetlb-ban-2022': hugetlbBan2022,
  sequester,
  'unmap-2023': unmap2023,
  'upstream-2024': upstream2024,
  'gmem-thp-rfc': gmemThpRfc,
  'gmem-1g-rfc': gmem1gRfc,
  'no-snp': noSnp,
};
