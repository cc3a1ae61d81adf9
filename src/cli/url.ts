/**
 * `sim url <scenario.json | preset | share URL> [--step N] [--kernel K] [--backing B] [--linux V]`: print the
 * share-URL fragment for a scenario. A preset name prints the short preset form.
 */
import {
  type DecodedShare,
  decodeShareFragment,
  encodeShareFragment,
  MAX_FRAGMENT_CHARS,
  resolveScenarioArg,
  type ShareView,
} from '../scenario/index';
import type { CliIo } from './io';

const USAGE =
  'usage: sim url <scenario.json | preset name | share URL> [--step N] [--kernel DESIGN] [--backing BACKING] [--linux VERSION]';

export async function runUrl(args: string[], io: CliIo): Promise<number> {
  const positional: string[] = [];
  const viewParams: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const m = /^--(step|kernel|backing|linux|zoom|layer|sel)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? args[++i];
      if (value === undefined) {
        io.err(`sim url: ${a} needs a value\n${USAGE}`);
        return 2;
      }
      viewParams.push(`${m[1]}=${encodeURIComponent(value)}`);
    } else if (a === '--help' || a === '-h') {
      io.out(USAGE);
      return 0;
    } else if (a.startsWith('--')) {
      io.err(`sim url: unknown option ${a}\n${USAGE}`);
      return 2;
    } else positional.push(a);
  }
  const arg = positional[0];
  if (arg === undefined || positional.length > 1) {
    io.err(`sim url: expected one scenario\n${USAGE}`);
    return 2;
  }
  const view = readViewOptions(viewParams, io);
  if (view === null) return 2;
  const r = resolveScenarioArg(arg, io.readFile);
  if (!r.ok) {
    for (const e of r.errors) io.err(`sim url: ${e}`);
    return 1;
  }
  for (const w of r.warnings) io.err(`sim url: warning: ${w}`);
  const merged: ShareView = { ...r.view, ...view };
  const fragment =
    r.preset !== undefined
      ? encodeShareFragment({ preset: r.preset }, merged)
      : encodeShareFragment(r.scenario, merged);
  // A link the decoder would refuse is no link (src/scenario/url.ts MAX_FRAGMENT_CHARS).
  if (fragment.length > MAX_FRAGMENT_CHARS) {
    io.err(
      `sim url: the scenario is too large for a link (${fragment.length.toLocaleString('en-US')} characters; at most ${MAX_FRAGMENT_CHARS.toLocaleString('en-US')}): share the file, or host it for #src=`,
    );
    return 1;
  }
  io.out(fragment);
  return 0;
}

/** Validate --step/--kernel/... with the same rules as the URL's own parameters. */
function readViewOptions(params: string[], io: CliIo): ShareView | null {
  if (params.length === 0) return {};
  const d: DecodedShare = decodeShareFragment(`#${params.join('&')}`);
  if (d.repairs.length > 0) {
    for (const r of d.repairs) io.err(`sim url: ${r.replace(/, ignored$/, '')}`);
    return null;
  }
  return d.view;
}
