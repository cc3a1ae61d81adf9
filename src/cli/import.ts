/**
 * `sim import <file> [<file2>] [--json] [--page-offset-base 0x...] [--format <fmt>]`
 *
 * One file: the detected format and what it says — for direct-map data (ptdump, meminfo) the
 * `meminfo` totals {DirectMap4k, DirectMap2M, DirectMap1G} in kB; for SEV-SNP messages `rmp`, the
 * decoded RMP entries. Two files (before, after): the split decomposition as `vmstat`
 * {direct_map_level2_splits, direct_map_level3_splits}. A fracture-record.sh recording or a
 * Prometheus query_range answer: `timelines`, one per host, each a list of samples
 * {t, time, DirectMap4k …, direct_map_level2_splits …} keyed as the kernel names them.
 * `--scenario` with a recording: its --trace calls as a scenario (src/worker/trace-scenario.ts),
 * the JSON `sim run` reads, on stdout; the calls left out as warnings on stderr.
 * The JSON keys are a contract.
 * Exit 0 on success, 1 on bad input or a difference that splits cannot explain, 2 on bad usage.
 */

import { detectFormat } from '../formats/import/detect';
import {
  type ImportData,
  type ImportError,
  type ImportFormat,
  type ImportOptions,
  importPair,
  importText,
  importTimeline,
  type Timeline,
} from '../formats/import/index';
import { formatMeminfo, formatVmstat, meminfoFromCounts } from '../formats/meminfo';
import { bootDirectMap, countPieces } from '../machine/boot-layout';
import { traceScenario } from '../worker/trace-scenario';
import type { CliIo } from './io';

const USAGE =
  'usage: sim import <file> [<file2>] [--json] [--scenario] [--page-offset-base 0x...] [--format ptdump|meminfo|vmstat|e820|snp-rmp|qemu-trace]';
const FORMATS: readonly ImportFormat[] = [
  'ptdump',
  'meminfo',
  'vmstat',
  'e820',
  'snp-rmp',
  'qemu-trace',
];

interface Args {
  files: string[];
  json: boolean;
  scenario: boolean;
  opts: ImportOptions;
}

function parseArgs(args: string[]): Args | string {
  const files: string[] = [];
  const opts: ImportOptions = {};
  let json = false;
  let scenario = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? a.split('=', 2) : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--json') json = true;
    else if (flag === '--scenario') scenario = true;
    else if (flag === '--page-offset-base') {
      const v = value();
      if (!v || !/^0x[0-9a-fA-F]{1,16}$/.test(v))
        return `--page-offset-base needs a hex address, got "${v ?? ''}"`;
      opts.pageOffsetBase = BigInt(v);
    } else if (flag === '--format') {
      const v = value();
      if (!v || !FORMATS.includes(v as ImportFormat) || v === 'unknown') {
        return `--format must be one of ${FORMATS.join(', ')}, got "${v ?? ''}"`;
      }
      opts.format = v as Exclude<ImportFormat, 'unknown'>;
    } else if (flag?.startsWith('-')) return `unknown option ${flag}`;
    else files.push(a);
  }
  if (files.length < 1 || files.length > 2) return `expected one or two files, got ${files.length}`;
  if (scenario && files.length !== 1) return '--scenario takes one recording';
  return { files, json, scenario, opts };
}

/** JSON.stringify with BigInt as hex strings. */
function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x), 2);
}

function reportErrors(io: CliIo, file: string, errors: readonly ImportError[]): void {
  for (const e of errors) {
    const where = e.line > 0 ? `${file}:${e.line}` : file;
    io.err(`error: ${where}: ${e.message} (expected ${e.expected})\n`);
  }
}

function dataJson(d: ImportData): Record<string, unknown> {
  switch (d.format) {
    case 'ptdump': {
      const p = d.ptdump;
      return {
        meminfo: d.meminfo,
        pageOffsetBase: p.pageOffsetBase,
        baseSource: p.baseSource,
        fiveLevel: p.fiveLevel,
        marker: p.marker,
        layout: p.pieces,
      };
    }
    case 'meminfo':
      return { meminfo: d.meminfo, gbpages: d.gbpages, counters: d.vmstat };
    case 'vmstat':
      return { counters: d.vmstat };
    case 'e820': {
      const boot = (gb: boolean) =>
        meminfoFromCounts(countPieces(bootDirectMap(d.e820.ranges, gb)));
      return {
        source: d.e820.source,
        ranges: d.e820.ranges,
        usableBytes: d.e820.usableBytes,
        release: d.e820.release,
        linux: d.e820.linux,
        bootMeminfo: { gbpages: boot(true), noGbpages: boot(false) },
      };
    }
    case 'snp-rmp': {
      const { entries, ...rest } = d.snp;
      return { rmp: entries, ...rest };
    }
    case 'qemu-trace':
      return { events: d.events.map(({ op, gpa, sizeBytes }) => ({ op, gpa, sizeBytes })) };
  }
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

function dataText(d: ImportData): string {
  switch (d.format) {
    case 'ptdump': {
      const p = d.ptdump;
      const head = `direct map at ${hex(p.pageOffsetBase)} (${p.baseSource}), ${p.fiveLevel ? '5' : '4'}-level, ${p.pieces.length} runs, under marker "${p.marker ?? 'none'}"\n`;
      return head + formatMeminfo(d.meminfo, true);
    }
    case 'meminfo':
      return formatMeminfo(d.meminfo, d.gbpages) + (d.vmstat ? formatVmstat(d.vmstat) : '');
    case 'vmstat':
      return formatVmstat(d.vmstat);
    case 'e820': {
      const rows = d.e820.ranges.map((r) => `  usable [${hex(r.start)}-${hex(r.end)})`);
      const boot = meminfoFromCounts(countPieces(bootDirectMap(d.e820.ranges, true)));
      return `${d.e820.source} map, ${d.e820.usableBytes} bytes usable\n${rows.join('\n')}\nboot-time direct map (gbpages):\n${formatMeminfo(boot, true)}`;
    }
    case 'snp-rmp': {
      const s = d.snp;
      const rows = s.entries.map(
        (e) =>
          `  pfn ${hex(e.pfn)} assigned=${+e.assigned} pagesize=${e.pagesize} immutable=${+e.immutable} gpa=${hex(e.gpa)} asid=${e.asid} vmsa=${+e.vmsa} validated=${+e.validated}`,
      );
      const regions = s.regions.map(
        (r) => `  2 MiB region: pfn [${hex(r.pfnStart)}-${hex(r.pfnEnd)})`,
      );
      return (
        [...s.explanation, ...(rows.length ? ['RMP entries:', ...rows] : []), ...regions].join(
          '\n',
        ) + '\n'
      );
    }
    case 'qemu-trace': {
      const share = d.events.filter((e) => e.op === 'share').length;
      return `${d.events.length} conversions: ${share} share (private_to_shared), ${d.events.length - share} unshare (shared_to_private)\n`;
    }
  }
}

/** A sample as the kernel prints it: kB for DirectMap*, counts for direct_map_*; ISO time. */
function sampleJson(s: Timeline['samples'][number]): Record<string, unknown> {
  const time = Number.isFinite(s.wall) ? new Date(s.wall * 1000).toISOString() : null;
  return { t: s.t, time, ...s.values };
}

function timelineJson(tl: Timeline): Record<string, unknown> {
  return {
    source: tl.source,
    host: tl.host,
    header: tl.header,
    keys: tl.keys,
    notes: tl.notes,
    end: tl.end,
    ptdumps: tl.ptdumps.length,
    trace: tl.trace.length,
    samples: tl.samples.map(sampleJson),
  };
}

/** Keys the summary prints first → last: the DirectMap totals, then split/collapse counters. */
const SUMMARY_KEY = /^(DirectMap|direct_map_|nr_direct_map)/;

function timelineText(tl: Timeline): string {
  const first = tl.samples[0];
  const last = tl.samples[tl.samples.length - 1];
  const kernel = tl.header.kernel_release ?? 'not recorded';
  const duration = first && last ? `${(last.t - first.t).toFixed(0)} s` : 'none';
  const lines = [
    `host: ${tl.host ?? 'not recorded'}`,
    `kernel: ${kernel}${tl.header.machine ? ` (${tl.header.machine})` : ''}`,
    `duration: ${duration}${first && Number.isFinite(first.wall) ? ` from ${new Date(first.wall * 1000).toISOString()}` : ''}`,
    `samples: ${tl.samples.length}${tl.end || tl.source !== 'frec' ? '' : ' (recording cut short: no end line)'}`,
  ];
  for (const k of tl.keys.filter((k) => SUMMARY_KEY.test(k))) {
    const unit = k.startsWith('DirectMap') ? ' kB' : '';
    const a = first?.values[k];
    const b = last?.values[k];
    const change =
      a !== undefined && b !== undefined && b !== a ? ` (${b > a ? '+' : ''}${b - a})` : '';
    lines.push(`  ${k}: ${a ?? '–'} → ${b ?? '–'}${unit}${change}`);
  }
  if (tl.ptdumps.length) lines.push(`ptdump frames: ${tl.ptdumps.length}`);
  if (tl.trace.length) lines.push(`trace events: ${tl.trace.length}`);
  for (const n of tl.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

function runTimeline(io: CliIo, file: string, text: string, json: boolean): number {
  const r = importTimeline(text);
  if (!r.ok) {
    reportErrors(io, file, r.errors);
    if (json) io.out(`${toJson({ ok: false, format: r.detection.format, errors: r.errors })}\n`);
    return 1;
  }
  for (const w of r.warnings) io.err(`warning: ${file}: ${w}\n`);
  const format = r.detection.format;
  if (json) {
    const timelines = r.timelines.map(timelineJson);
    io.out(`${JSON.stringify({ ok: true, format, timelines, warnings: r.warnings })}\n`);
    return 0;
  }
  const hosts = r.timelines.length > 1 ? `, ${r.timelines.length} hosts` : '';
  io.out(`format: ${format} (${r.detection.reason})${hosts}\n`);
  io.out(r.timelines.map(timelineText).join('\n'));
  for (const w of r.warnings) io.out(`warning: ${w}\n`);
  return 0;
}

/** `--scenario`: the recording's --trace calls as a scenario (one host). */
function runTraceScenario(io: CliIo, file: string, text: string): number {
  const r = importTimeline(text);
  if (!r.ok) {
    reportErrors(io, file, r.errors);
    return 1;
  }
  const tl = r.timelines[0];
  if (r.detection.format !== 'frec' || !tl) {
    io.err(
      `error: ${file}: --scenario needs a fracture-record.sh recording, not ${r.detection.format}\n`,
    );
    return 1;
  }
  const s = traceScenario(tl);
  if ('error' in s) {
    io.err(`error: ${file}: ${s.error}\n`);
    return 1;
  }
  if (tl.trace.length === 0)
    io.err(`warning: ${file}: no trace lines (record with --trace): the scenario has no events\n`);
  for (const w of s.skipped) io.err(`warning: ${file}: ${w}\n`);
  io.out(`${JSON.stringify(s.scenario, null, 2)}\n`);
  return 0;
}

function read(io: CliIo, file: string): string | null {
  try {
    return io.readFile(file);
  } catch (e) {
    io.err(`error: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return null;
  }
}

export async function runImport(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`error: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  const { files, json, scenario, opts } = parsed;
  const texts = files.map((f) => read(io, f));
  if (texts.some((t) => t === null)) return 1;
  const [fa = '', fb = ''] = files;
  const [ta = '', tb] = texts as string[];
  if (tb === undefined) {
    const kind = opts.format ?? detectFormat(ta).format;
    if (scenario && kind !== 'frec') {
      io.err(`error: ${fa}: --scenario needs a fracture-record.sh recording, not ${kind}\n`);
      return 1;
    }
    if (scenario) return runTraceScenario(io, fa, ta);
    if (kind === 'frec' || kind === 'prometheus') return runTimeline(io, fa, ta, json);
    const r = importText(ta, opts);
    if (!r.ok) {
      reportErrors(io, fa, r.errors);
      if (json) io.out(`${toJson({ ok: false, format: r.detection.format, errors: r.errors })}\n`);
      return 1;
    }
    for (const w of r.warnings) io.err(`warning: ${fa}: ${w}\n`);
    const format = r.data.format;
    if (json)
      io.out(
        `${toJson({ ok: true, format, reason: r.detection.reason, ...dataJson(r.data), warnings: r.warnings })}\n`,
      );
    else io.out(`format: ${format} (${r.detection.reason})\n${dataText(r.data)}`);
    return 0;
  }
  const p = importPair(ta, tb, opts);
  if (!p.ok) {
    for (const e of p.errors) reportErrors(io, e.which === 'before' ? fa : fb, [e]);
    if (json) io.out(`${toJson({ ok: false, errors: p.errors })}\n`);
    return 1;
  }
  for (const w of p.warnings) io.err(`warning: ${w}\n`);
  const result = {
    ok: p.vmstat !== null,
    format: [p.before.format, p.after.format],
    meminfo: p.meminfo,
    vmstat: p.vmstat,
    measured: p.measured,
    decomposition: p.decomposition,
    notes: p.notes,
  };
  if (json) io.out(`${toJson(result)}\n`);
  else {
    io.out(`formats: ${p.before.format} → ${p.after.format}\n`);
    if (p.vmstat) io.out(formatVmstat(p.vmstat));
    for (const n of p.notes) io.out(`note: ${n}\n`);
  }
  if (p.vmstat === null) {
    io.err(`error: ${p.notes[0] ?? 'the snapshots share no measure'}\n`);
    return 1;
  }
  return 0;
}
