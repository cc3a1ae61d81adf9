/**
 * A real Prometheus scraping a real node_exporter on this machine, for e2e/prometheus.spec.ts.
 * .ci/run starts Debian's two (FRACTURE_PROM_URL); on a developer machine with the packages
 * installed the spec starts its own on 127.0.0.1, and without them it skips (CI=true: fails).
 * node_exporter runs with --collector.vmstat.fields widened, or it drops the direct_map_* fields.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const VMSTAT_FIELDS = '^(oom_kill|pgpg|pswp|pg.*fault|direct_map_.*).*';

export interface PromServer {
  url: string;
  stop(): void;
}

const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

/** Points Prometheus holds for node_memory_DirectMap4k_bytes over the last minute (0 if none). */
async function points(url: string): Promise<number> {
  try {
    const q = encodeURIComponent('count_over_time(node_memory_DirectMap4k_bytes[1m])');
    const r = await fetch(`${url}/api/v1/query?query=${q}`);
    const j = (await r.json()) as { data?: { result?: { value: [number, string] }[] } };
    return Number(j.data?.result?.[0]?.value[1] ?? 0);
  } catch {
    return 0;
  }
}

async function waitForSamples(url: string, min: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await points(url)) < min) {
    if (Date.now() > until)
      throw new Error(`${url} has fewer than ${min} DirectMap4k samples after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The Prometheus to test against, or why there is none (a skip reason off CI). */
export async function startPrometheus(): Promise<PromServer | { skip: string }> {
  const given = process.env.FRACTURE_PROM_URL;
  if (given) {
    await waitForSamples(given, 3, 30_000);
    return { url: given, stop: () => {} };
  }
  if (!has('prometheus') || !has('prometheus-node-exporter')) {
    const why =
      "Debian's prometheus and prometheus-node-exporter are not installed (apt-get install prometheus prometheus-node-exporter; .ci/run installs and starts them)";
    if (process.env.CI) throw new Error(`CI=true: ${why}`);
    return { skip: why };
  }
  const dir = mkdtempSync(join(tmpdir(), 'fracture-prom-'));
  const exporter = '127.0.0.1:19192';
  const url = 'http://127.0.0.1:19191';
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['${exporter}']\n`,
  );
  const procs: ChildProcess[] = [
    spawn(
      'prometheus-node-exporter',
      [`--web.listen-address=${exporter}`, `--collector.vmstat.fields=${VMSTAT_FIELDS}`],
      {
        stdio: 'ignore',
      },
    ),
    spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=${url.slice('http://'.length)}`,
        '--web.cors.origin=.*',
      ],
      { stdio: 'ignore' },
    ),
  ];
  const stop = () => {
    for (const p of procs) p.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForSamples(url, 3, 40_000);
  } catch (e) {
    stop();
    throw e;
  }
  return { url, stop };
}
