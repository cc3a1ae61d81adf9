/** What every command reads and writes through (main() passes it in, so tests need no process). */
import { type ResolvedScenario, resolveScenarioArg } from '../scenario/index';

export interface CliIo {
  readFile(path: string): string;
  /** Text as given; commands end their lines with "\n". */
  out(s: string): void;
  err(s: string): void;
}

/**
 * The scenario a command's argument names (src/scenario/source.ts), a link's repairs accepted
 * and printed as `sim <command>: repaired: …`; null after printing why it cannot be used.
 */
export function scenarioArg(
  command: string,
  arg: string,
  io: CliIo,
): Extract<ResolvedScenario, { ok: true }> | null {
  const r = resolveScenarioArg(arg, io.readFile, { repair: true });
  if (!r.ok) {
    for (const e of r.errors) io.err(`sim ${command}: ${e}\n`);
    return null;
  }
  for (const w of r.warnings) io.err(`sim ${command}: repaired: ${w}\n`);
  return r;
}
