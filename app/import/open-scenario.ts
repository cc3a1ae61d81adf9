/**
 * Opening scenario files in the app (issue 16, "Work is never lost"): a scenario JSON — the one
 * Share → Download scenario JSON writes — picked or dropped in the import sheet, dropped anywhere
 * on the page, or pasted, opens as the same run. The tools worker parses it (bytes transferred)
 * and validates it with the CLI's per-field messages; a file that fails opens repaired, as a
 * broken link does, with every error and every fix in the notice; what cannot be salvaged says
 * why and keeps the run on screen.
 */
import { transfer } from 'comlink';
import { useEffect } from 'react';
import type { ImportResult } from '../../src/formats/index';
import {
  MAX_SCENARIO_BYTES,
  mayBeScenarioText,
  type OpenScenarioResult,
  tooLargeScenarioMessage,
} from '../../src/worker/protocol';
import { addNotice, linkView, loadSource } from '../run/session';
import { useUi } from '../store';
import { getTools } from '../tools-client';

export { mayBeScenarioText };

export type Opened =
  | { kind: 'opened' }
  | { kind: 'refused'; name: string; errors: string[] }
  | { kind: 'not-scenario' };

const NOT_SCENARIO: Opened = { kind: 'not-scenario' };

/** The notice of a file that needed repairs: the errors as `sim run` prints them, then each fix. */
export function repairedTitle(name: string): string {
  return `The scenario file ${name} needed repairs to load`;
}

export function refusedTitle(name: string): string {
  return `${name} could not be opened as a scenario`;
}

/** A refusal as a notice (the page's drop and paste; the import sheet shows it in place). */
function notify(r: Opened): Opened {
  if (r.kind !== 'refused') return r;
  const title = refusedTitle(r.name);
  addNotice({ tone: 'error', title, messages: r.errors, brief: `${title}: ${r.errors[0] ?? ''}` });
  return r;
}

/** A refusal in the import sheet's error form. */
export function refusedImport(r: Extract<Opened, { kind: 'refused' }>): ImportResult {
  return {
    ok: false,
    detection: { format: 'unknown', reason: 'a scenario file', also: [] },
    errors: r.errors.map((message) => ({
      line: 0,
      message,
      expected: 'a Fracture scenario file (Share → Download scenario JSON)',
    })),
    warnings: [],
  };
}

async function open(r: OpenScenarioResult, name: string): Promise<Opened> {
  if (r.kind === 'not-scenario') return NOT_SCENARIO;
  if (r.kind === 'refused') return { kind: 'refused', name, errors: r.errors };
  // The run opens at step 0, as a new link does (the file carries no view).
  const ok = await loadSource({ kind: 'scenario', scenario: r.scenario }, linkView({}));
  // Cannot run (too many events for the browser): the load's own notice says why.
  if (!ok)
    return {
      kind: 'refused',
      name,
      errors: ['the scenario cannot run in the browser (see the notice)'],
    };
  useUi.getState().setTool(null);
  if (r.kind === 'repaired') {
    const title = repairedTitle(name);
    const messages = [...r.errors, ...r.repairs.map((x) => `repaired: ${x}`)];
    addNotice({ tone: 'warning', title, messages, brief: `${title}: ${messages[0] ?? ''}` });
  }
  return { kind: 'opened' };
}

/**
 * Text (a paste, the sheet's text box): opened when it is a scenario; `not-scenario` when it is
 * kernel text or other JSON, for the import sheet to import as it always has.
 */
export async function openScenarioText(text: string, name = 'pasted text'): Promise<Opened> {
  if (!mayBeScenarioText(text)) return NOT_SCENARIO;
  return open(await getTools().openScenario(text, name, { detect: true }), name);
}

/** A file: its size checked first, its bytes read off the main thread and transferred. */
export async function openScenarioFile(file: File, options: { detect: boolean }): Promise<Opened> {
  if (options.detect) {
    const head = await file.slice(0, 65_536).text();
    if (!mayBeScenarioText(head)) return NOT_SCENARIO;
  }
  if (file.size > MAX_SCENARIO_BYTES)
    return { kind: 'refused', name: file.name, errors: [tooLargeScenarioMessage(file.size)] };
  const bytes = await file.arrayBuffer();
  const r = await getTools().openScenario(transfer(bytes, [bytes]), file.name, options);
  return open(r, file.name);
}

/** What the import sheet holds (app/import/read.ts Input): a large file by its bytes. */
export function openScenarioInput(input: { text: string; name: string | null; file?: File }) {
  return input.file !== undefined
    ? openScenarioFile(input.file, { detect: true })
    : openScenarioText(input.text, input.name ?? 'pasted text');
}

const editable = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.isContentEditable || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement);

const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') === true;

/**
 * Drop a scenario file anywhere on the explorer, or paste a scenario's JSON outside a text
 * field, and it opens. The import sheet handles drops on itself (it calls preventDefault first).
 */
export function useOpenScenarioAnywhere(): void {
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (carriesFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (e.defaultPrevented || !carriesFiles(e)) return;
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      void openScenarioFile(file, { detect: true }).then((r) => {
        if (notify(r).kind !== 'not-scenario') return;
        const title = `${file.name} is not a scenario file`;
        const messages = [
          'to compare kernel output with the model (ptdump, /proc/meminfo, dmesg…), open Import and drop it there',
        ];
        addNotice({ tone: 'warning', title, messages, brief: title });
      });
    };
    const paste = (e: ClipboardEvent) => {
      if (editable(e.target) || useUi.getState().tool !== null) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (!mayBeScenarioText(text)) return;
      e.preventDefault();
      void openScenarioText(text).then(notify);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    window.addEventListener('paste', paste);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
      window.removeEventListener('paste', paste);
    };
  }, []);
}
