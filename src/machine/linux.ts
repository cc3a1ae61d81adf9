/**
 * Host kernel versions (`host.linux` in a scenario, "6.11", "6.15", "6.12-rhel10"): the engine's
 * rules are gated by them. A version compares by major.minor; anything after (".3", "-rc2", a
 * distribution suffix) does not change the order but may select a named variant's refinements.
 * Addresses are not involved, so plain numbers suffice.
 */

/** major.minor as one comparable number: 6.15 → 6015. */
export function linuxOrder(v: string): number {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : 0;
}

/** Whether kernel `v` is `min` or newer ("6.15" ≥ "6.15", "6.9" < "6.15"). */
export function linuxAtLeast(v: string, min: string): boolean {
  return linuxOrder(v) >= linuxOrder(min);
}
