/**
 * The formats package's public face for the app: text in (the importers' result types) and
 * text out (meminfo and vmstat, PNG text chunks). The engine's own modules import the files.
 */

// The fleet view ranks hosts of a Prometheus answer the worker parsed (pure, no text).
export { type FleetHost, type FleetOrder, rankFleet } from './import/fleet';
export type {
  ConversionEvent,
  Detection,
  E820Import,
  ImportData,
  ImportError,
  ImportFormat,
  ImportOptions,
  ImportResult,
  PairResult,
  PtdumpImport,
  RmpEntry,
  SnpImport,
  SplitDecomposition,
  VmstatCounters,
} from './import/index';
export { formatMeminfo, formatVmstat, type Meminfo, type VmstatSplits } from './meminfo';
export {
  insertPngText,
  LINK_KEYWORD,
  linkTexts,
  type PngText,
  readPngLink,
  readPngText,
} from './png-text';
