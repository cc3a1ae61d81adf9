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

export const MODEL_CHANGES: ModelChange[] = [
  {
    version: 2,
    date: '2026-12-03',
    designs: [
      'no-snp',
      'rfc-2021',
      'hugetlb-ban-2022',
      'sequester',
      'unmap-2023',
      'upstream-2024',
      'gmem-thp-rfc',
      'gmem-1g-rfc',
    ],
    text: 'version 2: kernel designs revised for fidelity; see docs/model.md',
  },
];
