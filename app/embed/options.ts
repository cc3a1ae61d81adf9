/**
 * The embed's URL options, read once from the query string (they never change while the page
 * lives: the embed never rewrites its own URL).
 */
import { type EmbedOptions, parseEmbedOptions, parseEmbedOrigins } from './messages';

let cached: EmbedOptions | null = null;

export function embedOptions(): EmbedOptions {
  if (cached) return cached;
  const r = parseEmbedOptions(window.location.search);
  // A typo in a slide keeps that option's default; say so to whoever opens the console.
  for (const e of r.errors) console.warn(`Fracture embed: ${e}`);
  cached = r.options;
  return cached;
}

export function isEmbed(): boolean {
  return embedOptions().embed;
}

let origins: string[] | null | undefined;

/** The `?origin=` allow-list (null when absent): which deck origins may send commands. */
export function embedOrigins(): string[] | null {
  if (origins !== undefined) return origins;
  const r = parseEmbedOrigins(window.location.search);
  for (const e of r.errors) console.warn(`Fracture embed: ${e}`);
  origins = r.origins;
  return origins;
}
