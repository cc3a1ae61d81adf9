/**
 * The mailing-list report is built off the main thread by the tools worker's code
 * (ToolsHost.report), in an instance of its own started the first time a report is asked for —
 * so a sweep running in the panels' tools worker never holds the export dialog up.
 */
import { type Remote, wrap } from 'comlink';
import type { ToolsApi } from '../../src/worker/tools-host';

let remote: Remote<ToolsApi> | null = null;

export async function buildReport(
  scenario: unknown,
  step: number,
  link: string,
  version: string,
): Promise<string> {
  remote ??= wrap<ToolsApi>(
    new Worker(new URL('../../src/worker/tools-worker.ts', import.meta.url), { type: 'module' }),
  );
  const r = await remote.report({ scenario, step, link, version });
  return r.ok ? r.text : `The report could not be built: ${r.error}\n`;
}
