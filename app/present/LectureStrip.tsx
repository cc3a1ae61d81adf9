/**
 * Lecture mode's narration strip, for a projector: a bar (where the caption sits among the
 * captions, previous/next captioned step, a link to this caption's step, the editor's toggle) over
 * the caption in force, full width and large. The caption editor adds, edits or removes the
 * caption at the current step; the edit goes into the scenario, hence the link.
 */
import { useEffect, useId, useState } from 'react';
import { CaptionSizers } from '../panels/CaptionSizers';
import './lecture.css';
import type { Scenario } from '../../src/scenario/index';
import type { RunInfo } from '../../src/worker/protocol';
import { editScenario } from '../controls/change';
import { CopyButton } from '../share/CopyButton';
import { shareLink } from '../share/links';
import { useUi } from '../store';
import { captionAt, captionStepFrom, withCaption, withoutCaption } from './captions';

function CaptionEditor(props: { info: RunInfo; step: number; existing: string | null }) {
  const { info, step, existing } = props;
  const [text, setText] = useState(existing ?? '');
  useEffect(() => setText(existing ?? ''), [existing]);
  const save = (edit: (s: Scenario) => Scenario) => editScenario(info, edit);
  return (
    <form
      className="caption-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim() !== '') save((s) => withCaption(s, step, text.trim()));
      }}
    >
      <label className="stack">
        <span>Caption at step {step}</span>
        <textarea
          rows={2}
          value={text}
          maxLength={2000}
          onChange={(e) => setText(e.currentTarget.value)}
          aria-label={`Caption at step ${step}`}
        />
      </label>
      <div className="row">
        <button type="submit" className="text-button" disabled={text.trim() === ''}>
          {existing === null ? 'Add caption' : 'Save caption'}
        </button>
        {existing !== null && (
          <button
            type="button"
            className="text-button"
            onClick={() => save((s) => withoutCaption(s, step))}
          >
            Remove caption
          </button>
        )}
      </div>
    </form>
  );
}

export function LectureStrip(props: { info: RunInfo; step: number }) {
  const { info, step } = props;
  const ui = useUi.getState();
  const [editing, setEditing] = useState(false);
  const captions = info.captions;
  const current = captionAt(captions, step);
  const here = captions.find((c) => c.step === step) ?? null;
  const index = current ? captions.findIndex((c) => c.step === current.step) : -1;
  const prev = captionStepFrom(captions, step, -1);
  const next = captionStepFrom(captions, step, 1);
  const editorId = useId();
  const go = (to: number | null) => {
    if (to === null) return;
    ui.setPlaying(false);
    ui.seek(to);
  };
  return (
    <section className="lecture" aria-label="Lecture">
      <div className="lecture-strip">
        <div className="lecture-bar">
          <span className="caption-step">
            {current ? `${index + 1} / ${captions.length} · step ${current.step}` : `step ${step}`}
          </span>
          <button
            type="button"
            className="text-button"
            disabled={prev === null}
            onClick={() => go(prev)}
            aria-label="Previous caption"
            title="Previous caption (PageUp, ←)"
          >
            ‹
          </button>
          <button
            type="button"
            className="text-button"
            disabled={next === null}
            onClick={() => go(next)}
            aria-label="Next caption"
            title="Next caption (PageDown, →)"
          >
            ›
          </button>
          <span className="lecture-spacer" />
          {current && (
            <CopyButton
              text={() => Promise.resolve(shareLink({ step: current.step }))}
              label="Copy link"
            />
          )}
          <button
            type="button"
            className="text-button"
            aria-expanded={editing}
            aria-controls={editorId}
            onClick={() => setEditing(!editing)}
          >
            Edit captions
          </button>
          <button type="button" className="text-button" onClick={() => ui.setLecture(false)}>
            Exit lecture (Esc)
          </button>
        </div>
        <div className="lecture-body" aria-live="polite">
          {current ? (
            <p className={current.step === step ? 'lecture-text' : 'lecture-text stale'}>
              {current.text}
            </p>
          ) : (
            <p className="lecture-text hint">
              {captions.length === 0
                ? 'This scenario has no captions yet: write one for this step with Edit captions.'
                : 'Before the first caption: PageDown or → to start.'}
            </p>
          )}
          {/* A projected map that rescales at every step loses the room. */}
          <CaptionSizers captions={captions} className="lecture-text lecture-sizer" />
        </div>
      </div>
      {editing && (
        <div className="lecture-edit" id={editorId}>
          <CaptionEditor info={info} step={step} existing={here?.text ?? null} />
          {captions.length > 0 && (
            <ol className="caption-list">
              {captions.map((c) => (
                <li key={c.step}>
                  <button type="button" className="link-button" onClick={() => go(c.step)}>
                    step {c.step}
                  </button>{' '}
                  {c.text}{' '}
                  <CopyButton
                    text={() => Promise.resolve(shareLink({ step: c.step }))}
                    label="Copy link"
                  />
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
