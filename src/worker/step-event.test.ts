import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../machine/events';
import { eventText } from './step-event';

const ev = (e: Partial<EngineEvent>): EngineEvent => ({
  op: 'accept',
  guest: 0,
  gpa: 0,
  pfn: 0,
  sizeBytes: 0,
  via: 'user',
  ...e,
});

describe('a step says its event in words', () => {
  it.each([
    [ev({ op: 'bpf-load', sizeBytes: 2048 }), 'bpf-load: 2,048 programs'],
    [ev({ op: 'module-load', guest: 2, sizeBytes: 256 * 1024 }), 'module-load: module 3, 256K'],
    [ev({ op: 'hwpoison', pfn: 0x1234 }), 'hwpoison: PFN 0x1234'],
    [
      ev({ op: 'recorded-call', guest: 3, pfn: 0x380000, sizeBytes: 1 }),
      'recorded-call: set_memory_4k on PFN 0x380000, 1 page(s)',
    ],
    [ev({ op: 'page-cache', sizeBytes: 2 ** 30 }), 'page-cache: 1G'],
    [ev({ op: 'accept', gpa: 0x200000, sizeBytes: 4096 }), 'accept vm: GPA 0x200000, 4K'],
    [ev({ op: 'launch' }), 'launch vm'],
  ])('%o → %s', (e, text) => {
    expect(eventText(e, ['vm'])).toBe(text);
  });
});
