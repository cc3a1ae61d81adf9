import { describe, expect, it } from 'vitest';
import { bannerRelease, hostLinuxOf } from './kernel-release';

// linux_banner (init/version.c) and `uname -r` print the same release string; host.linux keeps
// the version whose rules apply (src/scenario/host-linux.ts).
describe('host.linux from a kernel release', () => {
  it.each([
    ['6.11.0', '6.11'],
    ['6.15.0-rc3', '6.15-rc3'],
    ['6.12.0-55.el10.x86_64', '6.12-rhel10'],
    ['6.12.0-55.9.1.el10_0.x86_64', '6.12-rhel10'],
    ['5.14.0-503.el9.x86_64', '5.14'],
    ['6.8.0-45-generic', '6.8'],
    ['6.1.0-26-amd64', '6.1'],
    ['5.17.0', '5.17'],
    ['6.16.0-rc12+', '6.16-rc12'],
  ])('%s runs as %s', (release, linux) => {
    expect(hostLinuxOf(release)).toBe(linux);
  });

  it.each(['', 'linux', 'v6.11', '6', '6.x.0'])('%j is no release', (release) => {
    expect(hostLinuxOf(release)).toBeNull();
  });

  it('reads the release from the first linux_banner line', () => {
    const lines = ['Command line: ro', 'Linux version 6.11.0-snp (b@h) (gcc 13) #1 SMP', 'x'];
    expect(bannerRelease(lines)).toBe('6.11.0-snp');
    expect(bannerRelease(['BIOS-e820: [mem 0x0-0x9ffff] usable'])).toBeNull();
  });
});
