/**
 * Copying state into buffers that already exist. A timeline restores checkpoints into one
 * reused machine: fresh memory costs ~20 µs a page on these machines (a 40 MiB machine is ~10k
 * pages), while copying into memory already touched is a plain memcpy.
 */
type Typed =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Int32Array
  | Uint32Array
  | Float64Array;

/**
 * src's contents in dst's buffer when dst is the same length (or, with `spare`, at least as
 * long: the tail past src is zeroed), else a fresh copy of src.
 */
export function into<T extends Typed>(dst: T | undefined, src: T, spare = false): T {
  if (dst === undefined || dst === src) return src.slice() as T;
  if (dst.length === src.length || (spare && dst.length > src.length)) {
    (dst as Uint8Array).set(src as Uint8Array);
    if (dst.length > src.length) dst.fill(0, src.length);
    return dst;
  }
  return src.slice() as T;
}

/** into() for each chunk of a chunk list. */
export function intoAll<T extends Typed>(dst: readonly T[], src: readonly T[], spare = false): T[] {
  return src.map((s, i) => into(dst[i], s, spare));
}
