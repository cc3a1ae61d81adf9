/**
 * What changed in the model (the engine's rules, not the scenario format) from one model version
 * to the next. A share link records the model version it was made with (`m=` in
 * src/scenario/url.ts); a link from an older model whose kernel design is touched by a later
 * change opens with a `model-changed` notice naming these texts. Append only; never edit an entry.
 */
export interface ModelChange {
  /** The model version this change introduced (the first one is 2; links without `m=` are 1). */
  version: number;
  /** When it was made, YYYY-MM-DD. */
  date: string;
  /** The kernel designs whose results it changes (src/machine/events.ts KERNEL_DESIGNS). */
  designs: string[];
  /** One sentence for the notice. */
  text: string;
}

const ALL = [
  'no-snp',
  'rfc-2021',
  'hugetlb-ban-2022',
  'sequester',
  'unmap-2023',
  'upstream-2024',
  'gmem-thp-rfc',
  'gmem-1g-rfc',
];

const SNP = [
  'rfc-2021',
  'hugetlb-ban-2022',
  'sequester',
  'unmap-2023',
  'upstream-2024',
  'gmem-thp-rfc',
  'gmem-1g-rfc',
];

export const MODEL_CHANGES: ModelChange[] = [
  {
    version: 2,
    date: '2026-12-03',
    designs: ALL,
    text: 'host RAM has zones (DMA, DMA32, Normal) with per-migratetype pageblocks and per-cpu lists, and `ram` is laid out as a typical e820: guest memory lands elsewhere (the 2021 example’s 2 MiB moves from 0x200000 to 0x4000000) and long runs split fewer regions',
  },
  {
    version: 2,
    date: '2026-12-03',
    designs: ALL,
    text: 'every host runs a kernel version (host.linux, the design’s era by default); from 6.15 set_memory_4k() adds a cpa_flush and /proc/vmstat prints the collapse counters',
  },
  {
    version: 2,
    date: '2026-12-03',
    designs: ['hugetlb-ban-2022'],
    text: 'hugetlb-ban-2022 is SNP host v6: it invalidates private pages in the direct map instead of pre-splitting them',
  },
  {
    version: 2,
    date: '2026-12-03',
    designs: ['unmap-2023'],
    text: 'unmap-2023 is SNP host v10 (set_direct_map_*_noflush): only the splits flush the TLB',
  },
  {
    version: 2,
    date: '2026-12-03',
    designs: ['gmem-1g-rfc'],
    text: 'gmem-1g-rfc runs its era kernel 6.15: one cpa_flush more per split, and the collapse counters',
  },
  {
    version: 3,
    date: '2026-12-03',
    designs: SNP,
    text: 'the SNP host’s own RMP traffic is modelled: the RMP table’s e820 reservation, the 2 MiB TMR and firmware pages when kvm_amd loads, and per guest its firmware context pages, the 4 MiB launch image and one VMSA per vCPU, all unmovable: they split regions of their own (the 2021 example splits 5 regions where it split 1) and guest memory lands elsewhere',
  },
  {
    version: 3,
    date: '2026-12-03',
    designs: ['gmem-thp-rfc', 'gmem-1g-rfc'],
    text: 'guest_memfd allocates 2 MiB folios: a 4K accept writes one 2M RMP entry, then PSMASHes it, and splits nothing in the direct map',
  },
  {
    version: 3,
    date: '2026-12-03',
    designs: ['hugetlb-ban-2022', 'unmap-2023'],
    text: 'the host’s own firmware, VMSA and launch pages are taken out of the direct map as well',
  },
  {
    version: 3,
    date: '2026-12-03',
    designs: ['no-snp'],
    text: 'a launch allocates the per-vCPU pages (VMCB, APIC page): guest memory lands elsewhere, nothing more splits',
  },
  {
    version: 3,
    date: '2026-12-03',
    designs: ALL,
    text: 'step 0 is a booted host: the kernel image’s read-only edge, the KFENCE pool, on SNP hosts the IOMMU’s 4K buffers, and the modules udev loads split the direct map before the first event (host.boot "bare" keeps the layout at t≈0), and hosts can run BPF, modules, secretmem, memory errors, GPU and page-cache events of their own',
  },
];
