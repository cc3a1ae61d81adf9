/**
 * What a repair of a link or scenario is about, as a code the app classifies by (never by its
 * text). No imports: the main thread takes these from src/worker/protocol without the codec.
 */
export const REPAIR_CODES = [
  'link-repaired',
  'link-invalid',
  'preset-unknown',
  'link-unusable',
  'layer-ignored',
  'scenario-warning',
  'step-past-end',
  /** The link was made with an older model whose changes touch its design (not an error). */
  'model-changed',
  /** host.linux names a version the model has no rules for: the nearest known one's apply. */
  'linux-nearest',
  /** The link's format version is newer than this build's: refused; `value` is the version. */
  'link-newer',
] as const;
export type RepairCode = (typeof REPAIR_CODES)[number];

export interface Repair {
  code: RepairCode;
  text: string;
  /** The value the repair is about, as written (the preset name of preset-unknown). */
  value?: string;
}
