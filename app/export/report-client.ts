/**
 * The mailing-list report is built off the main thread by the tools worker's code
 * (ToolsHost.report), in an instance of its own started the first time a report is asked for —
 * so a sweep running in the panels' tools worker never holds the export dialog up.
 */
import type { ToolsApi } from '../../src/worker/protocol';
import { WorkerClient } from '../worker-client';

// A dead worker rejects the call (WorkerClient) and the next report starts a new one.
const reports = new WorkerClient<ToolsApi>(
  () =>
    new Worker(new URL('../../src/worker/tools-worker.ts', import.meta.url), { type: 'module' }),
);

export async function buildReport(
  scenario: unknown,
  step: number,
  link: string,
  version: string,
): Promise<string> {
  if (reports.failed !== null) reports.restart();
  try {
    const r = await reports.api.report({ scenario, step, link, version });
    return r.ok ? r.text : `The report could not be built: ${r.error}\n`;
  } catch (e) {
    return `The report could not be built: ${e instanceof Error ? e.message : String(e)}\n`;
  }
}
