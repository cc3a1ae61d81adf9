/**
 * A share link to virtio-churn-1h grown to a million events (or `events`): seconds of work for the worker,
 * so progressive loading and seeking have something to chew on. Built from the preset file with
 * the link format (#v=2&s=<deflate + base64url>) directly: the scenario modules import the
 * presets as JSON modules, which Playwright's loader does not take.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, strToU8 } from 'fflate';

export function millionEventLink(step?: number, events = 1_000_000): string {
  const path = join(process.cwd(), 'public', 'scenarios', 'virtio-churn-1h.json');
  const scenario = JSON.parse(readFileSync(path, 'utf8')) as {
    title: string;
    workload: { steps: number };
    events?: unknown[];
  };
  scenario.title = `virtio I/O churn, ${events.toLocaleString('en-US')} events`;
  scenario.workload.steps = events - (scenario.events?.length ?? 0);
  const packed = Buffer.from(deflateSync(strToU8(JSON.stringify(scenario)), { level: 9 }));
  return `#v=2&s=${packed.toString('base64url')}${step === undefined ? '' : `&step=${step}`}`;
}
