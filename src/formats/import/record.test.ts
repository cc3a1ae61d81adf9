/**
 * public/fracture-record.sh run on the machine the tests run on, read back through parseFrec():
 * the e2e-ready check that the recorder and the importer agree with the kernel itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFrec } from './frec';

const SCRIPT = new URL('../../../public/fracture-record.sh', import.meta.url).pathname;

function directMap4k(): number | null {
  let text = '';
  try {
    text = readFileSync('/proc/meminfo', 'utf8');
  } catch {
    return null;
  }
  const m = /^DirectMap4k:\s+(\d+) kB$/m.exec(text);
  return m ? Number(m[1]) : null;
}

const hasDirectMap = directMap4k() !== null;
const dir = mkdtempSync(join(tmpdir(), 'fracture-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasDirectMap)('fracture-record.sh on this machine', () => {
  it('records DirectMap4k within the range /proc/meminfo showed before and after', () => {
    const out = join(dir, 'host.frec');
    const before = directMap4k()!;
    const wall0 = Date.now() / 1000;
    const run = spawnSync('sh', [SCRIPT, '--duration', '2', '--interval', '1', '--output', out], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const after = directMap4k()!;
    expect(run.status, run.stderr).toBe(0);
    const r = parseFrec(readFileSync(out, 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const tl = r.value;
    expect(r.warnings).toEqual([]);
    expect(tl.end?.reason).toBe('complete');
    expect(tl.samples).toHaveLength(3);
    for (const s of tl.samples) {
      expect(s.values.DirectMap4k).toBeGreaterThanOrEqual(Math.min(before, after));
      expect(s.values.DirectMap4k).toBeLessThanOrEqual(Math.max(before, after));
      expect(Math.abs(s.wall - wall0)).toBeLessThan(60);
    }
    const ts = tl.samples.map((s) => s.t);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    // Samples are due at t = 0, 1 and 2 s; a loaded machine may start one late, never early.
    expect(ts[0]).toBeLessThan(1);
    expect(ts.at(-1)).toBeGreaterThanOrEqual(2);
    expect(tl.header.kernel_release).toBe(
      spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim(),
    );
    // Privacy by default: no host name unless --hostname.
    expect(tl.host).toBeNull();
  });

  it('leaves a complete file with an end line when stopped by TERM', () => {
    const out = join(dir, 'term.frec');
    const run = spawnSync('sh', [SCRIPT, '--duration', '0', '--interval', '0.2', '--output', out], {
      // spawnSync closes its pipes when the timeout fires: a message the script then prints would
      // end it with SIGPIPE, which a terminal would not do.
      stdio: 'ignore',
      timeout: 1500,
      killSignal: 'SIGTERM',
    });
    expect(run.signal).toBeNull();
    const r = parseFrec(readFileSync(out, 'utf8'));
    expect(r.ok && r.value.end?.reason).toBe('signal');
    expect(r.ok && r.value.samples.length).toBeGreaterThan(0);
  });
});
