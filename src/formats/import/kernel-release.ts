/**
 * The kernel a real host ran, from what it printed: start_kernel() logs linux_banner
 * ("Linux version %s (%s) %s", init/version.c) as its first dmesg line, and `uname -r` is the same
 * release string. The scenario's `host.linux` wants the version whose rules apply: major.minor, an
 * -rcN, or a distribution variant the model knows (RHEL 10's 6.12, ".el10" in its release).
 */

/** A linux_banner line after the dmesg prefix; the release is the word after "Linux version". */
const BANNER = /^Linux version (\S{1,80})(?:\s|$)/;
const RELEASE = /^(\d{1,2})\.(\d{1,3})(?:\.\d{1,4})?(.*)$/;

/** The release string of the first linux_banner line among `lines`; null when none is there. */
export function bannerRelease(lines: readonly string[]): string | null {
  for (const l of lines) {
    const m = BANNER.exec(l.trim());
    if (m) return m[1]!;
  }
  return null;
}

/**
 * host.linux for a release string: "6.11.0" → "6.11", "6.15.0-rc3" → "6.15-rc3",
 * "6.12.0-55.el10.x86_64" → "6.12-rhel10", "6.8.0-45-generic" → "6.8"; null when it is not one.
 */
export function hostLinuxOf(release: string): string | null {
  const m = RELEASE.exec(release.trim());
  if (!m) return null;
  const base = `${Number(m[1])}.${Number(m[2])}`;
  const rest = m[3]!;
  const rc = /^-(rc\d{1,2})(?![\d])/.exec(rest);
  if (rc) return `${base}-${rc[1]}`;
  if (/\.el10(?:[._]|$)/.test(rest)) return `${base}-rhel10`;
  return base;
}
