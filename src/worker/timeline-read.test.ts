/**
 * The tools worker reads a file as a stream (readTimeline): a recording is parsed chunk by chunk,
 * a Prometheus answer scanned as bytes. Whatever the chunk boundaries (inside a line, inside a
 * UTF-8 character, inside a number), the result is the text's; a file over the limit is refused
 * by its size without a byte read.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fleetAnswerText } from '../../bench/timeline';
import { parseFrec } from '../formats/import/frec';
import { timelineColumns } from '../formats/import/timeline';
import { TimelineStore } from './timeline-host';

const fixture = (name: string) =>
  readFileSync(new URL(`../formats/import/fixtures/${name}`, import.meta.url), 'utf8');

/** A Blob-like file whose stream() gives `bytes` in pieces of the given sizes (cycled). */
function blobOf(text: string, sizes: number[]) {
  const bytes = new TextEncoder().encode(text);
  return {
    size: bytes.length,
    text: () => Promise.reject(new Error('text() must not be called: the worker streams')),
    stream: () => {
      let at = 0;
      let k = 0;
      return {
        getReader: () => ({
          read: () => {
            if (at >= bytes.length) return Promise.resolve({ done: true });
            const n = sizes[k++ % sizes.length]!;
            const value = bytes.subarray(at, at + n);
            at += n;
            return Promise.resolve({ done: false, value });
          },
        }),
      };
    },
  };
}

const CHUNKINGS = [[1], [7, 3], [4096], [65536], [1 << 30]];

describe('a recording read in chunks is the recording read whole', () => {
  // A host name with multi-byte characters: a chunk boundary falls inside one for [1] and [7, 3].
  const names = ['x86-ptdump-trace.frec', 'x86-cut-mid-line.frec', 'arm64-keys.frec'];
  for (const name of names) {
    const text = fixture(`frec/${name}`).replace(
      /^(# fracture-record 1\n)/,
      '$1hostname=höst-ü.example\n',
    );
    const whole = parseFrec(text);
    for (const sizes of CHUNKINGS) {
      it(`${name} in chunks of ${sizes.join(', ')} bytes`, async () => {
        const r = await new TimelineStore().open(blobOf(text, sizes));
        expect(whole.ok).toBe(true);
        if (!whole.ok || !r.ok || r.kind !== 'one') throw new Error(JSON.stringify(r));
        const want = timelineColumns(whole.value);
        expect(r.view.columns.keys).toEqual(want.keys);
        expect(Array.from(r.view.columns.t)).toEqual(Array.from(want.t));
        expect(r.view.columns.values.map((c) => Array.from(c))).toEqual(
          want.values.map((c) => Array.from(c)),
        );
        expect(r.view.host).toBe('höst-ü.example');
        expect(r.view.warnings).toEqual(whole.warnings);
        expect(r.view.frames.length).toBe(whole.value.ptdumps.length);
        expect(r.view.trace.t.length).toBe(whole.value.trace.length);
      });
    }
  }
});

describe('a Prometheus answer read in chunks', () => {
  const text = fixture('prometheus/query-range-this-host.json');
  for (const sizes of CHUNKINGS) {
    it(`gives the same timeline in chunks of ${sizes.join(', ')} bytes`, async () => {
      const whole = new TimelineStore().openText(text);
      const r = await new TimelineStore().open(blobOf(text, sizes));
      if (!whole.ok || whole.kind !== 'one' || !r.ok || r.kind !== 'one') throw new Error('kind');
      expect(r.view.columns.keys).toEqual(whole.view.columns.keys);
      expect(r.view.columns.values.map((c) => Array.from(c))).toEqual(
        whole.view.columns.values.map((c) => Array.from(c)),
      );
    });
  }
});

describe('a fleet answer read in chunks', () => {
  const text = fleetAnswerText(40, 300);
  for (const sizes of [[7, 3], [97], [65536], [1 << 22, 1 << 23]]) {
    it(`ranks the same hosts with the same shares in chunks of ${sizes.join(', ')}`, async () => {
      const whole = new TimelineStore().openText(text);
      const store = new TimelineStore();
      const r = await store.open(blobOf(text, sizes));
      if (!whole.ok || whole.kind !== 'fleet' || !r.ok || r.kind !== 'fleet')
        throw new Error('kind');
      expect(r.fleet.hosts).toEqual(whole.fleet.hosts);
      expect(Array.from(r.fleet.share)).toEqual(Array.from(whole.fleet.share));
      expect(store.host(39)?.columns.t.length).toBe(300);
    });
  }

  it('cut short, it is refused at the byte where it ends', async () => {
    const cut = text.slice(0, Math.floor(text.length * 0.7));
    const r = await new TimelineStore().open(blobOf(cut, [64, 4096, 1 << 23]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^not a Prometheus answer: .* at byte \d+/);
    // The same byte as the answer read whole (the stream drops what it has read, not the count).
    const whole = new TimelineStore().openText(cut);
    expect(!whole.ok && whole.errors).toEqual(!r.ok && r.errors);
  });
});

describe('what cannot be opened is refused with its reason', () => {
  it('a 1 GiB file by its size, without reading it', async () => {
    const huge = {
      size: 2 ** 30,
      text: () => Promise.reject(new Error('read')),
      stream: () => {
        throw new Error('read');
      },
    };
    const r = await new TimelineStore().open(huge);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toContain('input is 1024 MiB, over the 512 MiB limit');
  });

  it('a binary file that starts like a recording names the NUL byte', async () => {
    const text = `# fracture-record 1\nsample t=0 wall=1 DirectMap4k=4\n\u0000\u0001\u0002ELF`;
    const r = await new TimelineStore().open(blobOf(text, [16]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/looks like binary data.*NUL byte/);
  });

  it('a binary file past its first 64 KiB is refused at the first bad line, not parsed as text', async () => {
    const good = `# fracture-record 1\n${'sample t=0 wall=1 DirectMap4k=4\n'.repeat(3000)}`;
    const r = await new TimelineStore().open(blobOf(`${good}\u0000\u0000garbage`, [4096]));
    // The sample lines before it are kept; the cut last "line" is named.
    expect(r.ok).toBe(true);
    if (r.ok && r.kind === 'one') {
      expect(r.view.columns.t.length).toBe(3000);
      expect(r.view.warnings.join('\n')).toMatch(/line 3002 is cut short/);
    }
  });

  it('a file that is not a recording names its first line', async () => {
    const r = await new TimelineStore().open(blobOf('MemTotal: 1 kB\n'.repeat(10), [5]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toContain('not a fracture-record recording: the first line is');
  });

  it('a Prometheus error answer is its error', async () => {
    const text = fixture('prometheus/error-bad-data.json');
    const r = await new TimelineStore().open(blobOf(text, [3]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toContain('Prometheus answered with an error (bad_data)');
  });
});
