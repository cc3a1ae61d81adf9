/**
 * The command line: `npm run --silent sim -- <command>`. Commands: run, url, import, presets,
 * help. main() takes its I/O as a parameter so tests call it without spawning a process.
 */
import { pathToFileURL } from 'node:url';
import { loadPreset, PRESET_NAMES } from '../scenario/index';
import { runImport } from './import';
import { type CliIo, readTextFile } from './io';
import { RUN_USAGE, runRun } from './run';
import { runSweep } from './sweep';
import { runUrl } from './url';

export type { CliIo } from './io';

export const USAGE = `Fracture: how SEV-SNP guests fracture the host's direct map.

usage: sim <command> [arguments]

commands:
  run <scenario.json | share URL | preset> [--json] [--meminfo] [--vmstat] [--ptdump]
      [--step N] [--kernel DESIGN] [--backing BACKING] [--linux VERSION] [--log N]
                  run a scenario; prints a summary, or /proc/meminfo, /proc/vmstat and ptdump text
  url <scenario.json | preset | share URL> [--step N] [--kernel K] [--backing B] [--linux V]
                  print the share-URL fragment
  import <file> [<file2>] [--json] [--format F] [--page-offset-base 0x...]
                  read ptdump, meminfo, vmstat, e820, SEV-SNP messages or QEMU traces
  sweep <scenario.json | share URL | preset> [--json]
                  the same workload under every kernel design × backing, final counters
  presets         list the curated scenarios
  help            this text
`;

/** Lines from commands that print without a trailing newline (url) get one. */
function lineIo(io: CliIo): CliIo {
  const nl = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
  return { readFile: io.readFile, out: (s) => io.out(nl(s)), err: (s) => io.err(nl(s)) };
}

function presets(io: CliIo): number {
  const width = Math.max(...PRESET_NAMES.map((n) => n.length));
  for (const name of PRESET_NAMES) {
    const r = loadPreset(name);
    const title = r.ok ? (r.scenario.title ?? '') : 'invalid preset';
    const kernel = r.ok ? r.scenario.kernel : '';
    io.out(`${name.padEnd(width)}  ${kernel.padEnd(16)}  ${title}\n`);
  }
  return 0;
}

export async function main(args: readonly string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = args;
  switch (cmd) {
    case 'run':
      if (rest.includes('--help') || rest.includes('-h')) {
        io.out(`${RUN_USAGE}\n`);
        return 0;
      }
      return runRun(rest, io);
    case 'url':
      return runUrl(rest, lineIo(io));
    case 'import':
      return runImport(rest, io);
    case 'sweep':
      return runSweep(rest, io);
    case 'presets':
      return presets(io);
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return 0;
    case undefined:
      io.err(USAGE);
      return 2;
    default:
      io.err(
        `sim: unknown command "${cmd}"; expected one of run, url, import, sweep, presets, help\n`,
      );
      return 2;
  }
}

export const nodeIo: CliIo = {
  readFile: (path) => readTextFile(path),
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main(process.argv.slice(2), nodeIo).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`sim: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
