import { describe, expect, it } from 'vitest';
import { decodeShareFragment } from '../scenario/url';
import { MODEL_VERSION as M } from '../scenario/versions';
import { runUrl } from './url';

function harness(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    readFile(path: string): string {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    out: (s: string) => out.push(s),
    err: (s: string) => err.push(s),
  };
  return { io, out, err };
}

describe('sim url', () => {
  it('prints the share fragment of a scenario file, which decodes back to it', async () => {
    const scenario = {
      version: 1,
      host: { ram: '8G' },
      guests: [{ name: 'vm', memory: '1G', vcpus: 1, backing: 'thp' }],
    };
    const h = harness({ 's.json': JSON.stringify(scenario) });
    expect(await runUrl(['s.json', '--step', '2'], h.io)).toBe(0);
    const fragment = h.out[0] ?? '';
    expect(fragment).toMatch(new RegExp(`^#v=2&s=[A-Za-z0-9_-]+&m=${M}&step=2$`));
    const d = decodeShareFragment(fragment);
    expect(d.scenario?.guests[0]?.name).toBe('vm');
    expect(d.view.step).toBe(2);
  });

  it('exits non-zero past the decoder limit (issue 16: never write a link too large to open)', async () => {
    // Random caption text does not compress: ~1.6 M characters of it make a fragment over 1 M.
    let x = 12345;
    const rnd = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[x % 62];
    };
    const captions = Array.from({ length: 800 }, () => ({
      step: 0,
      text: Array.from({ length: 2000 }, rnd).join(''),
    }));
    const h = harness({
      'big.json': JSON.stringify({ version: 1, host: { ram: '8G' }, captions }),
    });
    expect(await runUrl(['big.json'], h.io)).toBe(1);
    expect(h.out).toEqual([]);
    expect(h.err.join('\n')).toMatch(
      /too large for a link .*at most 1,000,000\): share the file, or host it for #src=/,
    );
  });

  it('prints the short form for a preset', async () => {
    const h = harness();
    expect(
      await runUrl(['thread-2021', '--kernel=rfc-2021', '--backing', 'hugetlbfs-2m'], h.io),
    ).toBe(0);
    expect(h.out).toEqual([`#preset=thread-2021&m=${M}&kernel=rfc-2021&backing=hugetlbfs-2m`]);
  });

  it.each([
    [['thread-2021', '--linux', '6.15'], 0, `#preset=thread-2021&m=${M}&linux=6.15`],
    [['thread-2021', '--linux=6.12-rhel10'], 0, `#preset=thread-2021&m=${M}&linux=6.12-rhel10`],
    [['thread-2021', '--linux', 'six'], 2, undefined],
  ] as const)('--linux: %j → exit %i', async (args, code, out) => {
    const h = harness();
    expect(await runUrl([...args], h.io)).toBe(code);
    if (out !== undefined) expect(h.out).toEqual([out]);
    else expect(h.err.join('\n')).toMatch(/parameter linux="six": not a kernel version/);
  });

  it('exits non-zero naming the field for an invalid scenario', async () => {
    const h = harness({ 'bad.json': '{"version":1,"host":{"ram":"4G"},"kernel":"rfc"}' });
    expect(await runUrl(['bad.json'], h.io)).toBe(1);
    expect(h.err.join('\n')).toMatch(/bad.json: kernel: found "rfc"; allowed: one of "rfc-2021"/);
  });

  it('exits non-zero on unreadable files, bad JSON, bad options and missing arguments', async () => {
    const h = harness({ 'x.json': '{nope' });
    expect(await runUrl(['missing.json'], h.io)).toBe(1);
    expect(await runUrl(['x.json'], h.io)).toBe(1);
    expect(await runUrl(['thread-2021', '--kernel', 'bogus'], h.io)).toBe(2);
    expect(await runUrl([], h.io)).toBe(2);
    expect(h.err.join('\n')).toMatch(
      /cannot read "missing.json"[\s\S]*not valid JSON[\s\S]*kernel="bogus"[\s\S]*usage/,
    );
  });
});
