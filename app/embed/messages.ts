/**
 * The embed's contract with the page around it (a slide deck): postMessage types, the URL options
 * of an embed, and which keys an embed may take from the presenter. Pure: the app wires these to
 * window.postMessage, location.search and keydown.
 *
 * Every message is an object whose `type` starts with "fracture:" so it never collides with a
 * deck's own messages (reveal.js, for one, posts its own JSON strings). Messages from outside are
 * validated here and only the documented commands are accepted; anything else is a value saying
 * why, never an exception.
 */
import * as v from 'valibot';
import { LIMITS } from '../../src/scenario/index';
import { COMPARE_VIEWS, type CompareView } from '../share/compare-url';

export const MESSAGE_PREFIX = 'fracture:';

// ---- outgoing (embed → deck) -------------------------------------------------------------

/** One side of a compare embed: its kernel design and guest backing. */
export interface CompareSide {
  kernel: string;
  backing: string;
}

export interface ReadyMessage {
  type: 'fracture:ready';
  step: number;
  steps: number;
  /** Compare embeds only: what A and B are, and which view is shown. */
  compare?: { a: CompareSide; b: CompareSide; view: CompareView };
}
export interface StepChangedMessage {
  type: 'fracture:stepchanged';
  step: number;
}
export type OutgoingMessage = ReadyMessage | StepChangedMessage;

export const readyMessage = (
  step: number,
  steps: number,
  compare?: ReadyMessage['compare'],
): ReadyMessage =>
  compare
    ? { type: 'fracture:ready', step, steps, compare }
    : { type: 'fracture:ready', step, steps };
export const stepChangedMessage = (step: number): StepChangedMessage => ({
  type: 'fracture:stepchanged',
  step,
});

// ---- incoming (deck → embed) -------------------------------------------------------------

/** No run has more steps than a scenario has events (LIMITS.events); a larger goto is a bug. */
export const MAX_GOTO_STEP = LIMITS.events;

const Step = v.pipe(
  v.number('step must be a number'),
  v.integer('step must be an integer'),
  v.minValue(0, 'step must be 0 or more'),
  v.maxValue(MAX_GOTO_STEP, `step must be at most ${MAX_GOTO_STEP.toLocaleString('en-US')}`),
);
const Bytes = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

export const LAYERS = ['direct-map', 'vmm', 'rmp', 'guest'] as const;
export const THEMES = ['light', 'dark'] as const;
// A compare embed's view (cmpView in its URL) is compare's own word (app/compare/compare-url.ts).
export { COMPARE_VIEWS, type CompareView };

const Zoom = v.pipe(
  v.strictObject({ start: Bytes, end: Bytes }),
  v.check((z) => z.start < z.end, 'zoom.start must be below zoom.end'),
);

/** strictObject: a misspelt field is reported, not silently dropped. */
export const IncomingSchema = v.variant('type', [
  v.strictObject({ type: v.literal('fracture:goto'), step: Step }),
  v.strictObject({ type: v.literal('fracture:next') }),
  v.strictObject({ type: v.literal('fracture:prev') }),
  v.strictObject({ type: v.literal('fracture:play') }),
  v.strictObject({ type: v.literal('fracture:pause') }),
  v.strictObject({
    type: v.literal('fracture:setView'),
    layer: v.optional(v.picklist(LAYERS, `layer must be one of ${LAYERS.join(', ')}`)),
    zoom: v.optional(Zoom),
    sel: v.optional(Bytes),
    theme: v.optional(v.picklist(THEMES, 'theme must be light or dark')),
    /** Compare embeds only (ignored by a single-scenario embed). */
    cmpView: v.optional(v.picklist(COMPARE_VIEWS, 'cmpView must be diff or side')),
  }),
]);

export type IncomingMessage = v.InferOutput<typeof IncomingSchema>;
export type IncomingType = IncomingMessage['type'];
export const INCOMING_TYPES: readonly IncomingType[] = [
  'fracture:goto',
  'fracture:next',
  'fracture:prev',
  'fracture:play',
  'fracture:pause',
  'fracture:setView',
];

export type ParseIncoming =
  | { ok: true; msg: IncomingMessage }
  | { ok: false; reason: 'not-fracture' }
  | { ok: false; reason: string };

/**
 * Validate a MessageEvent's data. Anything that is not an object with a "fracture:" type is
 * 'not-fracture' (the caller ignores it silently: decks post their own messages); a fracture
 * message that is unknown or malformed gets a reason worth logging.
 */
/** The "fracture:" type of a message, or null when it is not one of ours (never throws). */
export function fractureType(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  let type: unknown;
  try {
    // A hostile object can throw from a getter; that is still just "not ours".
    type = (data as { type?: unknown }).type;
  } catch {
    return null;
  }
  return typeof type === 'string' && type.startsWith(MESSAGE_PREFIX) ? type : null;
}

export function parseIncoming(data: unknown): ParseIncoming {
  const type = fractureType(data);
  if (type === null) return { ok: false, reason: 'not-fracture' };
  if (!(INCOMING_TYPES as readonly string[]).includes(type)) {
    return {
      ok: false,
      reason: `unknown message type ${JSON.stringify(type.slice(0, 60))}; accepted: ${INCOMING_TYPES.join(', ')}`,
    };
  }
  try {
    const r = v.safeParse(IncomingSchema, data);
    if (r.success) return { ok: true, msg: r.output };
    const issue = r.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    return { ok: false, reason: `${type}: ${path ? `${path}: ` : ''}${issue.message}` };
  } catch {
    return { ok: false, reason: `${type}: the message could not be read` };
  }
}

// ---- who may send commands ---------------------------------------------------------------

/**
 * Commands are taken only from the page that embeds this one (`event.source === window.parent`):
 * any other window holding a reference to the embed (an opener, a sibling frame, a popup) cannot
 * drive it. With `?origin=` the parent's origin must also be in the list. A top-level page (not
 * framed) has no parent and takes no commands from elsewhere.
 */
export function senderAllowed(
  fromParent: boolean,
  origin: string,
  allowed: readonly string[] | null,
): { ok: true } | { ok: false; reason: string } {
  if (!fromParent) {
    return {
      ok: false,
      reason: `a window that is not the embedding page (${origin || 'unknown origin'})`,
    };
  }
  if (allowed !== null && !allowed.includes(origin)) {
    const list =
      allowed.length > 0 ? allowed.join(', ') : 'none (every ?origin= entry was invalid)';
    return { ok: false, reason: `origin ${origin || 'unknown'} is not in ?origin= (${list})` };
  }
  return { ok: true };
}

/**
 * The commands that arrived since the last frame, folded: a flood of 200,000 messages then costs
 * one validation each and a few store updates per frame, not a render per message. Folding keeps
 * the meaning of the sequence exactly, applied in order by the same store actions:
 * - a goto replaces everything before it (it pauses and sets the step, whatever came earlier);
 * - consecutive next/prev of one direction become one step of n (clamping is monotone, so
 *   stepBy(n) equals n stepBy(1)); a change of direction starts a new entry;
 * - a repeated play or pause is one (the second does nothing); they do not fold into each other;
 * - setView fields merge, later ones winning (they do not touch the step or playback).
 * `ops` is bounded by the caller: past MAX_PENDING_OPS entries it applies them at once.
 */
export type PendingOp =
  | { kind: 'goto'; step: number }
  | { kind: 'step'; delta: number }
  | { kind: 'play' | 'pause' };

export interface PendingCommands {
  ops: PendingOp[];
  view: Omit<Extract<IncomingMessage, { type: 'fracture:setView' }>, 'type'> | null;
}

export const MAX_PENDING_OPS = 64;

export const noCommands = (): PendingCommands => ({ ops: [], view: null });

/** Fold one command into `p` (in place: a flood must not allocate per message) and return it. */
export function foldCommand(p: PendingCommands, msg: IncomingMessage): PendingCommands {
  const last = p.ops[p.ops.length - 1];
  switch (msg.type) {
    case 'fracture:goto':
      p.ops = [{ kind: 'goto', step: msg.step }];
      break;
    case 'fracture:next':
    case 'fracture:prev': {
      const d = msg.type === 'fracture:next' ? 1 : -1;
      if (last?.kind === 'step' && Math.sign(last.delta) === d) {
        last.delta = Math.max(-MAX_GOTO_STEP, Math.min(MAX_GOTO_STEP, last.delta + d));
      } else p.ops.push({ kind: 'step', delta: d });
      break;
    }
    case 'fracture:play':
    case 'fracture:pause': {
      // Only repeats fold: play after pause is not just play (from the end it starts over).
      const kind = msg.type === 'fracture:play' ? 'play' : 'pause';
      if (last?.kind !== kind) p.ops.push({ kind });
      break;
    }
    case 'fracture:setView': {
      const { type: _type, ...fields } = msg;
      p.view = { ...p.view, ...fields };
      break;
    }
  }
  return p;
}

// ---- URL options -------------------------------------------------------------------------

export const CONTROLS = ['none', 'mini', 'full'] as const;
export type Controls = (typeof CONTROLS)[number];
export type Theme = (typeof THEMES)[number];

export interface EmbedOptions {
  /** embed=1: no chrome except the step bar, fixed aspect, "open in Fracture" link. */
  embed: boolean;
  controls: Controls;
  /** null: follow the viewer's colour scheme. */
  theme: Theme | null;
  autoplay: boolean;
  caption: boolean;
  /** No editing, no navigation away from the scenario. */
  readonly: boolean;
  /**
   * colour=state|cause: how split regions are coloured. null: by cause for a host-only run (no
   * guests: the causes are the story), by state otherwise.
   */
  colour: 'state' | 'cause' | null;
}

export const DEFAULT_EMBED_OPTIONS: EmbedOptions = {
  embed: false,
  controls: 'mini',
  theme: null,
  autoplay: false,
  caption: true,
  readonly: false,
  colour: null,
};

export interface EmbedOptionsResult {
  options: EmbedOptions;
  /** One message per bad value; that option keeps its default. */
  errors: string[];
}

/** "?a=1&b" → [["a","1"],["b",""]]: URLSearchParams' rules, without the DOM lib. */
export function parseQuery(search: string): [string, string][] {
  const q = search.startsWith('?') ? search.slice(1) : search;
  const out: [string, string][] = [];
  for (const part of q.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    out.push([decode(key), decode(value)]);
  }
  return out;
}

function decode(s: string): string {
  const plus = s.replaceAll('+', ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

const TRUE = ['', '1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

/**
 * The embed's URL options: `embed=1`, `controls=none|mini|full` (default mini),
 * `theme=light|dark`, `autoplay` (a flag or =1), `caption=on|off` (default on), `readonly`.
 * Unknown parameters belong to someone else and are ignored; a bad value is reported and the
 * option keeps its default, so a typo in a slide never blanks the embed.
 */
export function parseEmbedOptions(
  search: string | Readonly<Record<string, string>>,
): EmbedOptionsResult {
  const pairs = typeof search === 'string' ? parseQuery(search) : Object.entries(search);
  const options: EmbedOptions = { ...DEFAULT_EMBED_OPTIONS };
  const errors: string[] = [];
  const flag = (key: string, value: string): boolean | null => {
    const x = value.toLowerCase();
    if (TRUE.includes(x)) return true;
    if (FALSE.includes(x)) return false;
    errors.push(`${key}=${value}: expected ${key} or ${key}=1 (or 0 to turn it off)`);
    return null;
  };
  for (const [key, value] of pairs) {
    switch (key) {
      case 'embed':
      case 'autoplay':
      case 'readonly': {
        const b = flag(key, value);
        if (b !== null) options[key] = b;
        break;
      }
      case 'caption':
      case 'captions': {
        const b = flag(key, value);
        if (b !== null) options.caption = b;
        break;
      }
      case 'controls':
        if ((CONTROLS as readonly string[]).includes(value)) options.controls = value as Controls;
        else errors.push(`controls=${value}: expected none, mini or full`);
        break;
      case 'theme':
        if ((THEMES as readonly string[]).includes(value)) options.theme = value as Theme;
        else errors.push(`theme=${value}: expected light or dark`);
        break;
      case 'colour':
      case 'color':
        if (value === 'state' || value === 'cause') options.colour = value;
        else errors.push(`${key}=${value}: expected state or cause`);
        break;
    }
  }
  return { options, errors };
}

/** scheme://host[:port] as event.origin serialises it, or "null" (file:// and sandboxed pages). */
const ORIGIN = /^(?:[a-z][a-z0-9+.-]{0,20}:\/\/[^/?#\s@]{1,253}|null)$/;
const MAX_ORIGINS = 32;

export interface EmbedOriginsResult {
  /** `?origin=` allow-list of the deck origins that may send commands; null: the parent, any origin. */
  origins: string[] | null;
  errors: string[];
}

/**
 * The `?origin=` (or `origins=`) allow-list, apart from the display options: it decides who may
 * drive the embed, not how it looks. Several parameters add up.
 */
export function parseEmbedOrigins(
  search: string | Readonly<Record<string, string>>,
): EmbedOriginsResult {
  const pairs = typeof search === 'string' ? parseQuery(search) : Object.entries(search);
  const errors: string[] = [];
  let origins: string[] | null = null;
  for (const [key, value] of pairs) {
    if (key === 'origin' || key === 'origins') {
      origins = [...(origins ?? []), ...parseOrigins(value, errors)];
    }
  }
  if (origins !== null && origins.length === 0) {
    errors.push('origin= names no valid origin: deck commands are refused');
  }
  return { origins, errors };
}

/**
 * "https://a.example, https://b.example:8443/" → the origins as the browser writes them (lower
 * case, no trailing slash). An entry that is not an origin is reported and left out; it is never
 * widened, so a typo closes the embed to commands rather than opening it.
 */
function parseOrigins(value: string, errors: string[]): string[] {
  const out: string[] = [];
  for (const raw of value.split(',').slice(0, MAX_ORIGINS)) {
    const o = raw.trim().replace(/\/$/, '').toLowerCase();
    if (o === '') continue;
    if (ORIGIN.test(o)) out.push(o);
    else
      errors.push(
        `origin=${raw.trim().slice(0, 80)}: not an origin; expected scheme://host[:port], comma-separated`,
      );
  }
  return out;
}

// ---- keys --------------------------------------------------------------------------------

/**
 * KeyboardEvent.key values a presenter's clicker or a deck uses: slide navigation
 * (PageUp/PageDown from clickers, arrows, Space, Home/End, reveal.js N/P), blank screen
 * (B and period on PowerPoint, Keynote and reveal.js), and F5/Escape (start/stop the show).
 */
export const PRESENTER_KEYS: ReadonlySet<string> = new Set([
  'PageUp',
  'PageDown',
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  ' ',
  'Spacebar',
  'Home',
  'End',
  'b',
  'B',
  '.',
  'n',
  'N',
  'p',
  'P',
  'F5',
  'Escape',
]);

/**
 * Should the embed handle (and preventDefault) this key? Never a presenter key unless the
 * audience clicked into the embed; other keys are the embed's own.
 */
export function shouldCaptureKey(key: string, audienceFocused: boolean): boolean {
  return audienceFocused || !PRESENTER_KEYS.has(key);
}
