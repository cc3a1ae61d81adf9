/**
 * Share: the link (scenario + step + view, and the counters it shows there as `c=`) with its length, an iframe snippet for slides, and for
 * links too long for mail (over 2,000 characters) the scenario as a file plus a `#src=` link to
 * a copy the user hosts.
 */
import { useEffect, useState } from 'react';
import type { Meminfo, RunInfo } from '../../src/worker/protocol';
import { getEngine } from '../engine-client';
import { CopyButton } from './CopyButton';
import { readCompareParams } from './compare-url';
import { Dialog, download } from './Dialog';
import {
  embedLink,
  iframeSnippet,
  LONG_LINK_CHARS,
  pageBase,
  shareLink,
  withCounters,
} from './links';
import { checkSrcUrl, srcFragment } from './src-link';

function fileNameOf(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'scenario'}.fracture.json`;
}

/** The counters at the step the link is for (null until the worker answers). */
function useCountersAt(step: number): Meminfo | null {
  const [counters, setCounters] = useState<Meminfo | null>(null);
  useEffect(() => {
    let alive = true;
    getEngine()
      .stepView(step)
      .then((v) => alive && setCounters(v.metrics.meminfo))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [step]);
  return counters;
}

export function ShareDialog(props: { info: RunInfo; step: number; onClose(): void }) {
  const { info, step, onClose } = props;
  const counters = useCountersAt(step);
  const link = withCounters(shareLink(), counters);
  // While compare is open the address bar carries B (?cmpKernel=…): link and embed are the comparison's.
  const compare = readCompareParams(window.location.search) !== null;
  const snippet = iframeSnippet(embedLink(), compare ? `${info.title} (compare A/B)` : info.title);
  const [srcInput, setSrcInput] = useState('');
  const checked = srcInput.trim() === '' ? null : checkSrcUrl(srcInput);
  const srcLink = checked?.ok === true ? pageBase() + srcFragment(checked.url, { step }) : '';
  const long = link.length > LONG_LINK_CHARS;

  return (
    <Dialog title="Share this view" onClose={onClose} className="share-dialog">
      <section aria-label="Link">
        <label className="stack">
          <span>Link to this scenario, step and view</span>
          <input
            readOnly
            value={link}
            aria-label="Share link"
            onFocus={(e) => e.currentTarget.select()}
          />
        </label>
        <div className="row">
          <CopyButton text={link} label="Copy link" />
          <span className={long ? 'link-length long' : 'link-length'}>
            {link.length.toLocaleString('en-US')} characters
          </span>
        </div>
        {long && (
          <p className="warn" role="alert">
            This link is longer than {LONG_LINK_CHARS.toLocaleString('en-US')} characters; some mail
            clients and archives cut it. Download the scenario below and host it, then share the
            short <code>#src=</code> link.
          </p>
        )}
      </section>
      <section aria-label="Embed">
        <label className="stack">
          <span>
            {compare ? 'Embed this comparison in slides (iframe)' : 'Embed in slides (iframe)'}
          </span>
          <textarea readOnly rows={3} value={snippet} aria-label="Iframe snippet" />
        </label>
        <div className="row">
          <CopyButton text={snippet} label="Copy iframe snippet" />
        </div>
      </section>
      <section aria-label="Scenario file">
        <div className="row">
          <button
            type="button"
            className="text-button"
            onClick={() =>
              download(
                new Blob([`${JSON.stringify(info.scenario, null, 2)}\n`], {
                  type: 'application/json',
                }),
                fileNameOf(info.title),
              )
            }
          >
            Download scenario JSON
          </button>
        </div>
        <label className="stack">
          <span>Load from a URL you host</span>
          <input
            type="url"
            placeholder="https://example.org/my-scenario.json"
            value={srcInput}
            onChange={(e) => setSrcInput(e.currentTarget.value)}
            aria-label="Scenario file URL"
          />
        </label>
        {checked?.ok === false && <p className="warn">{checked.why}</p>}
        {srcLink !== '' && (
          <>
            <input readOnly value={srcLink} aria-label="Link to the hosted scenario" />
            <div className="row">
              <CopyButton text={srcLink} label="Copy hosted link" />
              <span className="hint">
                Opening it fetches that file (it must allow cross-origin requests).
              </span>
            </div>
          </>
        )}
      </section>
    </Dialog>
  );
}
