import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from './import';
import { readTextFile } from './io';

const dir = mkdtempSync(join(tmpdir(), 'fracture-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function importFile(path: string) {
  let err = '';
  const code = await runImport([path], {
    readFile: (p) => readTextFile(p),
    out: () => {},
    err: (s) => {
      err += s;
    },
  });
  return { code, err };
}

describe('readTextFile refuses what is not a bounded regular file (issue 16)', () => {
  it('refuses /dev/zero by name before reading (a read would never end)', async () => {
    expect(() => readTextFile('/dev/zero')).toThrow('/dev/zero is a character device');
    const r = await importFile('/dev/zero');
    expect(r.code).toBe(1);
    expect(r.err).toContain('not a regular file');
  });

  it('refuses a FIFO by name without blocking for a writer', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readTextFile(fifo)).toThrow(`${fifo} is a FIFO, not a regular file`);
    expect((await importFile(fifo)).code).toBe(1);
  });

  it('refuses a directory by name', () => {
    expect(() => readTextFile(dir)).toThrow('is a directory');
  });

  it('refuses a file over the cap and reads one at the cap', () => {
    const f = join(dir, 'big');
    writeFileSync(f, 'x'.repeat(1025));
    expect(() => readTextFile(f, 1024)).toThrow('over the 0 MiB input limit');
    expect(readTextFile(f, 1025)).toHaveLength(1025);
  });
});
