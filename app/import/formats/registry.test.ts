import { describe, expect, it } from 'vitest';
import { type ImportFormat, importText } from '../../../src/formats/import/index';
import { FORMAT_VIEWS } from './registry';
import type { ImportKind } from './shared';

/** True when A and B are the same type (not merely assignable one way). */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Type level: the kinds importText returns are exactly the snapshot formats detectFormat names
// (recordings and Prometheus answers are timelines, read by importTimeline: their view is the
// timeline view of issue 18, not one of these), and the registry's mapped type (registry.ts)
// already refuses a missing or extra kind.
type TimelineFormat = 'frec' | 'prometheus';
const kindsAreDetectedFormats: Same<
  ImportKind,
  Exclude<ImportFormat, 'unknown' | TimelineFormat>
> = true;
const registryKeysAreKinds: Same<keyof typeof FORMAT_VIEWS, ImportKind> = true;

const fixtures = import.meta.glob<string>('../../../src/formats/import/fixtures/*.txt', {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('the import view registry (formats/registry.ts)', () => {
  it('has a view for every kind importText returns on the parser fixtures, and no other', () => {
    expect(kindsAreDetectedFormats && registryKeysAreKinds).toBe(true);
    const returned = new Set<string>();
    for (const text of Object.values(fixtures)) {
      const r = importText(text);
      if (r.ok) returned.add(r.data.format);
    }
    expect([...returned].sort()).toEqual(Object.keys(FORMAT_VIEWS).sort());
  });

  it('names each format and gives it a view', () => {
    for (const [kind, v] of Object.entries(FORMAT_VIEWS)) {
      expect(v.name, kind).not.toBe('');
      expect(typeof v.View, kind).toBe('function');
    }
  });
});
