/**
 * A depth bound checked before anything walks a scenario recursively. JSON.parse reads any depth
 * (V8's parser is iterative), but JSON.stringify, String() of nested arrays, structured clone and
 * valibot's nested schemas recurse: a 200,000-deep value overflowed the stack in the repair step
 * ("internal error: RangeError"). This walk is iterative and stops at the first value deeper than
 * the bound, so it costs at most one visit per value of the input.
 */
import { formatPath, type PathItem } from './errors';
import type { ScenarioError } from './types';

/** A version-1 scenario is at most 4 levels deep (host.ranges[i][j]); 64 leaves room for nesting in unknown fields. */
export const MAX_SCENARIO_DEPTH = 64;

/** Where a value first nests deeper than `max` levels of lists and objects; null when it does not. */
export function deepestPath(value: unknown, max = MAX_SCENARIO_DEPTH): PathItem[] | null {
  const stack: { v: unknown; depth: number; key: PathItem | null; parent: number }[] = [
    { v: value, depth: 0, key: null, parent: -1 },
  ];
  const seen: { key: PathItem | null; parent: number }[] = [];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.v === null || typeof item.v !== 'object') continue;
    const index = seen.push({ key: item.key, parent: item.parent }) - 1;
    if (item.depth >= max) return pathTo(seen, index);
    const children: [PathItem, unknown][] = Array.isArray(item.v)
      ? item.v.map((c, i) => [i, c])
      : Object.entries(item.v);
    for (const [key, v] of children) {
      if (v !== null && typeof v === 'object') {
        stack.push({ v, depth: item.depth + 1, key, parent: index });
      }
    }
  }
  return null;
}

function pathTo(
  seen: readonly { key: PathItem | null; parent: number }[],
  index: number,
): PathItem[] {
  const out: PathItem[] = [];
  for (let i = index; i >= 0; i = seen[i]!.parent) {
    const key = seen[i]!.key;
    if (key !== null) out.push(key);
  }
  return out.reverse();
}

/**
 * The named error for a value nested deeper than `max` levels, or null. The path shown is the
 * top-level field and the first few steps into it, not all of them.
 */
export function depthError(value: unknown, max = MAX_SCENARIO_DEPTH): ScenarioError | null {
  const path = deepestPath(value, max);
  if (path === null) return null;
  const shown = path.length > 4 ? `${formatPath(path.slice(0, 4))}…` : formatPath(path);
  const allowed = `at most ${max} levels of lists and objects (a scenario needs 4)`;
  return {
    path: formatPath(path.slice(0, 1)),
    value: 'too deep',
    allowed,
    message: `${shown}: nested deeper than ${max} levels; allowed: ${allowed}`,
  };
}
