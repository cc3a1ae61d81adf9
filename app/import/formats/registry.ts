/**
 * One view per import format, keyed by the kind importText detects (src/formats/import/index.ts,
 * ImportData['format']). A new format is one file in this folder and one line here; the mapped
 * type makes a missing or unknown kind a type error.
 */
import type { ImportData } from '../../../src/formats/index';
import { e820View } from './e820';
import { meminfoView } from './meminfo';
import { ptdumpView } from './ptdump';
import { qemuTraceView } from './qemu-trace';
import type { FormatView, ImportKind } from './shared';
import { snpRmpView } from './snp-rmp';
import { vmstatView } from './vmstat';

export const FORMAT_VIEWS: { readonly [K in ImportKind]: FormatView<K> } = {
  ptdump: ptdumpView,
  meminfo: meminfoView,
  vmstat: vmstatView,
  e820: e820View,
  'snp-rmp': snpRmpView,
  'qemu-trace': qemuTraceView,
};

/** The entry for the data's kind: FORMAT_VIEWS[k] takes data of kind k, and data.format is k. */
export function viewFor(data: ImportData): FormatView<ImportKind> {
  return FORMAT_VIEWS[data.format] as FormatView<ImportKind>;
}
