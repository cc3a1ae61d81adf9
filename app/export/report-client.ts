/**
 * The mailing-list report comes from a small worker of its own (src/worker/report-worker.ts),
 * started the first time a report is asked for.
 */
import { type Remote, wrap } from 'comlink';
import type { ReportApi } from '../../src/worker/report-worker';

let remote: Remote<ReportApi> | null = null;

export async function buildReport(
  scenario: unknown,
  step: number,
  link: string,
  version: string,
): Promise<string> {
  remote ??= wrap<ReportApi>(
    new Worker(new URL('../../src/worker/report-worker.ts', import.meta.url), { type: 'module' }),
  );
  const r = await remote.report({ scenario, step, link, version });
  return r.ok ? r.text : `The report could not be built: ${r.error}\n`;
}
