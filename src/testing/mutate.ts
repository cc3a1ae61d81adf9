/**
 * Mutations of real inputs for the fuzz tests (*.fuzz.test.ts): byte-level edits of a text
 * (insert, delete, replace, truncate, duplicate or swap lines, rewrite a number) and value-level
 * edits of a parsed JSON document (replace, delete or add a member, wrap, change a type). Each
 * mutation adds at most MAX_GROWTH characters, so an input's size, and with it the work a linear
 * parser does on it, has a fixed bound: the tests assert that bound instead of timing anything.
 */
import fc from 'fast-check';

/** Characters one text mutation may add (an inserted snippet, a duplicated block). */
export const MAX_GROWTH = 4096;
/** Mutations applied to one input. */
export const MAX_MUTATIONS = 4;

/** Interesting replacements for a run of digits: edges of the integer types and of parsers. */
const NUMBERS = [
  '0',
  '-1',
  '-0',
  '4294967296',
  '18446744073709551615',
  '9007199254740993',
  '1e308',
  'NaN',
  '0x',
  'ffffffffffffffffff',
  '',
];

type TextMutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace'; at: number; char: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; lines: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'number'; nth: number; value: string };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });

const snippet = fc.oneof(
  fc.string({ maxLength: 64, unit: 'binary' }),
  fc.constantFrom('\n', '\r\n', '\r', '\u0000', '\u001b[31m', '\ufffd', ' '.repeat(300), '0x'),
  fc.string({ maxLength: 8, unit: 'grapheme' }).map((s) => s.repeat(40)),
);

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: snippet }),
  fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.nat(200) }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fraction,
    char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fraction,
    lines: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({ kind: fc.constant('swap' as const), a: fraction, b: fraction }),
  fc.record({
    kind: fc.constant('number' as const),
    nth: fc.nat(200),
    value: fc.oneof(fc.constantFrom(...NUMBERS), fc.bigInt().map(String)),
  }),
);

const pos = (text: string, f: number) => Math.min(text.length, Math.floor(f * (text.length + 1)));

function applyText(text: string, m: TextMutation): string {
  switch (m.kind) {
    case 'insert': {
      const at = pos(text, m.at);
      return text.slice(0, at) + m.text.slice(0, MAX_GROWTH) + text.slice(at);
    }
    case 'delete': {
      const at = pos(text, m.at);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'replace': {
      const at = pos(text, m.at);
      return text.slice(0, at) + m.char + text.slice(at + 1);
    }
    case 'truncate':
      return text.slice(0, pos(text, m.at));
    case 'duplicate': {
      const lines = text.split('\n');
      const at = Math.min(lines.length - 1, Math.floor(m.at * lines.length));
      let block = lines.slice(at, at + m.lines).join('\n');
      if (block.length > MAX_GROWTH) block = block.slice(0, MAX_GROWTH);
      return [...lines.slice(0, at), block, ...lines.slice(at)].join('\n');
    }
    case 'swap': {
      const lines = text.split('\n');
      const a = Math.min(lines.length - 1, Math.floor(m.a * lines.length));
      const b = Math.min(lines.length - 1, Math.floor(m.b * lines.length));
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'number': {
      let n = 0;
      const value = m.value.slice(0, 64);
      return text.replace(/\d+/g, (d) => (n++ === m.nth ? value : d));
    }
  }
}

/** A real input with 1..MAX_MUTATIONS edits; the result is at most MAX_MUTATIONS × MAX_GROWTH + 64 longer. */
export function mutatedText(inputs: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...inputs),
      fc.array(textMutation, { minLength: 1, maxLength: MAX_MUTATIONS }),
    )
    .map(([text, ms]) => ms.reduce(applyText, text));
}

/** The longest text mutatedText can make from these inputs. */
export function mutatedTextBound(inputs: readonly string[]): number {
  return Math.max(...inputs.map((t) => t.length)) + MAX_MUTATIONS * (MAX_GROWTH + 64);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

type JsonMutation =
  | { kind: 'set'; path: number; value: Json }
  | { kind: 'delete'; path: number }
  | { kind: 'add'; path: number; key: string; value: Json }
  | { kind: 'wrap'; path: number }
  | { kind: 'stringify'; path: number };

/** Values a field might be set to: other types, edge numbers, long strings, a small random tree. */
const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    false,
    0,
    -1,
    0.5,
    1e308,
    -1e308,
    2 ** 53,
    4294967296,
    '',
    '64G',
    '0x',
    '-4K',
    '1P',
    'x'.repeat(10_000),
    [],
    {},
  ),
  fc.integer().map((n) => n as Json),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => v as Json),
);

const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: fc.nat(), value: jsonValue }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    path: fc.nat(),
    key: fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'profiles', 'version', 'x'),
      fc.string({ maxLength: 12 }),
    ),
    value: jsonValue,
  }),
  fc.record({ kind: fc.constant('wrap' as const), path: fc.nat() }),
  fc.record({ kind: fc.constant('stringify' as const), path: fc.nat() }),
);

/** Every container and member in document order: [parent, key] pairs (the root has no parent). */
function slots(root: Json): [Json[] | { [key: string]: Json } | null, string | number][] {
  const out: [Json[] | { [key: string]: Json } | null, string | number][] = [[null, 0]];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      v.forEach((c, i) => {
        out.push([v, i]);
        stack.push(c);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push([v, k]);
        stack.push(v[k]!);
      }
    }
  }
  return out;
}

function applyJson(root: Json, m: JsonMutation): Json {
  const all = slots(root);
  const [parent, key] = all[m.path % all.length]!;
  const get = (): Json =>
    parent === null ? root : (parent as Record<string | number, Json>)[key]!;
  const put = (v: Json): Json => {
    if (parent === null) return v;
    (parent as Record<string | number, Json>)[key] = v;
    return root;
  };
  switch (m.kind) {
    case 'set':
      return put(clone(m.value));
    case 'delete':
      if (parent === null) return null;
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      return root;
    case 'add': {
      const target = get();
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        // defineProperty, as JSON.parse does: "__proto__" becomes an own key, not the prototype.
        Object.defineProperty(target, m.key, {
          value: clone(m.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else if (Array.isArray(target)) target.push(clone(m.value));
      return root;
    }
    case 'wrap':
      return put([get()]);
    case 'stringify':
      return put(JSON.stringify(get()) ?? null);
  }
}

/** A parsed JSON document with 1..MAX_MUTATIONS value-level edits (the input is not modified). */
export function mutatedJson(inputs: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.constantFrom(...inputs),
      fc.array(jsonMutation, { minLength: 1, maxLength: MAX_MUTATIONS }),
    )
    .map(([doc, ms]) => ms.reduce(applyJson, clone(doc) as Json));
}
