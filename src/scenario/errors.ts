/** Building ScenarioError values: path, value found, what is allowed, one readable line. */
import type { ScenarioError } from './types';

export type PathItem = string | number;

/** ['guests', 1, 'backing'] → "guests[1].backing". */
export function formatPath(items: readonly PathItem[]): string {
  let out = '';
  for (const item of items) {
    if (typeof item === 'number') out += `[${item}]`;
    else out += out === '' ? item : `.${item}`;
  }
  return out === '' ? '(scenario)' : out;
}

/** A value shortened for an error message: JSON, at most 60 characters. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'missing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (Array.isArray(value) && text.length > 60) text = `a list of ${value.length} items`;
  else if (value !== null && typeof value === 'object' && text.length > 60) text = 'an object';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function scenarioError(path: string, value: unknown, allowed: string): ScenarioError {
  const shown = showValue(value);
  const found = shown === 'missing' ? 'missing' : `found ${shown}`;
  return { path, value: shown, allowed, message: `${path}: ${found}; allowed: ${allowed}` };
}

/** An error whose value was already shown (e.g. a size the user wrote, converted to bytes). */
export function tooLarge(path: string, value: unknown, limit: string): ScenarioError {
  return scenarioError(path, value, `too large: at most ${limit}`);
}
