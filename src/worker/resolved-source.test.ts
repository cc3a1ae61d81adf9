/**
 * The load answer's source (src/worker/resolved-source.ts) and repair codes (protocol.ts
 * REPAIR_CODES): the app keeps the source and the link and classifies notices by code, so these
 * are what it relies on; and the app's view suffix (shareFragmentOf) equals the codec's.
 */
import { describe, expect, it } from 'vitest';
import { encodeShareFragment, loadPreset } from '../scenario/index';
import { MODEL_VERSION as M } from '../scenario/versions';
import { EngineHost } from './host';
import { type LoadSource, type ResolvedSource, shareFragmentOf, type ViewState } from './protocol';

const frag = (fragment: string): LoadSource => ({ kind: 'fragment', fragment });

describe('EngineHost: the load answer names its source and codes its repairs', () => {
  const h = new EngineHost();
  const cases: [string, LoadSource, ResolvedSource['source']['kind'], string][] = [
    [
      'a preset link keeps the preset',
      frag('#preset=thread-2021&kernel=rfc-2021'),
      'preset',
      `#preset=thread-2021&m=${M}&kernel=rfc-2021`,
    ],
    [
      'a broken link opens the default preset',
      frag('#v=1&s=AAAA'),
      'preset',
      `#preset=thread-2021&m=${M}`,
    ],
    [
      'a preset with overrides',
      { kind: 'preset', preset: 'thread-2021', backing: 'thp' },
      'preset',
      `#preset=thread-2021&m=${M}&backing=thp`,
    ],
    [
      'a preset with a host kernel override keeps it in the link (linux=)',
      { kind: 'preset', preset: 'thread-2021', linux: '6.12-rhel10' },
      'preset',
      `#preset=thread-2021&m=${M}&linux=6.12-rhel10`,
    ],
    [
      'a preset link with linux= stays that preset and that kernel',
      frag('#preset=thread-2021&linux=6.15'),
      'preset',
      `#preset=thread-2021&m=${M}&linux=6.15`,
    ],
  ];
  it.each(cases)('%s', (_, source, kind, link) => {
    const r = h.load(source);
    expect(r.source?.source.kind).toBe(kind);
    expect(r.source?.link).toBe(link);
  });

  it('a scenario link is the scenario the engine ran, its link the codec’s', () => {
    const p = loadPreset('thread-2021');
    if (!p.ok) throw new Error('preset');
    const r = h.load(frag(encodeShareFragment(p.scenario, { step: 2 })));
    expect(r.source?.source).toEqual({ kind: 'scenario', scenario: r.info?.scenario });
    expect(r.source?.link).toBe(encodeShareFragment(r.info?.scenario as never));
  });

  it('a hand-written scenario without events or captions loads, and its link is the run', () => {
    const raw = {
      version: 1,
      host: { ram: '4G' },
      kernel: 'upstream-2024',
      guests: [{ name: 'vm', memory: '64M', vcpus: 1, backing: 'thp' }],
      workload: { seed: 1, steps: 50, profiles: [{ profile: 'virtio-io', weight: 1 }] },
    };
    const r = h.load({ kind: 'scenario', scenario: raw });
    expect(r.ok).toBe(true);
    expect(r.source?.source).toEqual({ kind: 'scenario', scenario: raw });
    const again = new EngineHost().load(frag(r.source!.link));
    expect(again.info?.scenarioDigest).toBe(r.info?.scenarioDigest);
  });

  it('an unknown preset: preset-unknown with the name, then link-unusable', () => {
    const r = h.load(frag('#preset=nope'));
    expect(r.repairs.map((x) => x.code)).toEqual(['preset-unknown', 'link-unusable']);
    expect(r.repairs[0]?.value).toBe('nope');
  });
});

describe('shareFragmentOf writes the view as encodeShareFragment does', () => {
  const views: ViewState[] = [
    {},
    { step: 4 },
    { step: 0, layer: 'direct-map' },
    { step: 7, layer: 'rmp', zoom: { start: 0x4000_0000, end: 0x8000_0000 }, sel: 0x1f000 },
    { layer: 'guest', sel: 0 },
  ];
  it.each(views)('%o', (view) => {
    const share: Parameters<typeof encodeShareFragment>[1] = { kernel: 'rfc-2021' };
    if (view.step !== undefined && view.step > 0) share.step = view.step;
    if (view.zoom) share.zoom = view.zoom;
    if (view.layer !== undefined && view.layer !== 'direct-map') share.layer = view.layer;
    if (view.sel !== undefined) share.sel = view.sel;
    const link = encodeShareFragment({ preset: 'thread-2021' }, { kernel: 'rfc-2021' });
    expect(shareFragmentOf(link, view)).toBe(encodeShareFragment({ preset: 'thread-2021' }, share));
  });
});
