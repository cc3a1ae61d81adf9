/**
 * Issue 18: a `--trace` recording replays through the engine. A recording with set_memory_ro,
 * set_memory_4k and set_direct_map_invalid_noflush lines opens as a timeline, "Open the recorded
 * calls as a scenario" loads its recorded-call events in the explorer (a normal scenario link),
 * and the inspector on a region one of them split names the cause, the call and the caller.
 */
import './helpers/hooks';
import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';
import { TimelineSheet } from './pages/timeline';

const RECORDING = `${[
  '# fracture-record 1',
  'kernel_release=6.12.5',
  'machine=x86_64',
  'addresses=offset',
  'meminfo.MemTotal=16000000',
  'e820.0=0x0-0x9fbff System RAM',
  'e820.1=0x9fc00-0xfffff Reserved',
  'e820.2=0x100000-0xbfffffff System RAM',
  'e820.3=0x100000000-0x43fffffff System RAM',
  'sample t=0 wall=1796286608 DirectMap4k=83968 direct_map_level2_splits=37',
  'trace t=1 fn=set_memory_ro pid=1 pages=1 comm=systemd dm_offset=0x300001000 stack=set_memory_ro+0;bpf_prog_pack_alloc+465;bpf_int_jit_compile+842',
  'trace t=2 fn=set_memory_4k pid=2210 pages=1 comm=qemu-system-x86 dm_offset=0x380000000 stack=set_memory_4k+0;sev_gmem_prepare+283[kvm_amd];kvm_gmem_get_pfn+409[kvm]',
  'trace t=3 fn=set_direct_map_invalid_noflush pid=1844 pages=1 comm=memfd_secret dm_offset=0x3c0200000 stack=set_direct_map_invalid_noflush+0;secretmem_fault+268',
  'sample t=4 wall=1796286612 DirectMap4k=90112 direct_map_level2_splits=40',
  'end t=4 wall=1796286612 samples=2 reason=complete',
].join('\n')}\n`;

test('a --trace recording opens as a scenario; the inspector names the recorded caller', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021');
  const tl = new TimelineSheet(page);
  await tl.importFile('host.frec', Buffer.from(RECORDING));
  const who = tl.sheet.getByRole('region', { name: 'Who split what' });
  await expect(who).toContainText('3 recorded call(s) by caller');
  await app.shot(info, 'who split what with open as scenario');
  await who.getByRole('button', { name: 'Open the recorded calls as a scenario' }).click();
  await expect(tl.sheet).toBeHidden();
  await expect(page.getByRole('region', { name: 'Import data from a real machine' })).toHaveCount(
    0,
  );
  await app.ready();
  await expect(app.slider).toHaveAttribute('max', '3');
  await expect(app.slider).toHaveValue('3');
  await expect(
    page.getByText('recorded-call: set_direct_map_invalid_noflush on PFN 0x3c0200, 1 page(s)'),
  ).toBeVisible();
  // A normal scenario link: the scenario itself in the fragment.
  await expect.poll(() => app.hash()).toMatch(/^#v=\d+&s=/);
  const hash = await app.hash();
  await page.evaluate(
    (h) => {
      window.location.hash = `${h}&sel=0x380000`;
    },
    hash.replace(/&sel=[^&]*/, ''),
  );
  const inspector = page.getByRole('region', { name: 'Frame inspector' });
  await expect(inspector).toContainText('0x380000000');
  const pmd = inspector.getByLabel('2 MiB region split to 4K by');
  await expect(pmd).toContainText('Recorded calls');
  await expect(pmd).toContainText('set_memory_4k()');
  await expect(pmd).toContainText('recorded caller');
  await expect(pmd).toContainText('sev_gmem_prepare [kvm_amd]');
  await expect(pmd).toContainText('at step 2');
  await expect(pmd).toContainText('recorded.call');
  await expect(inspector.getByLabel('1 GiB block split to 2M by')).toContainText(
    'sev_gmem_prepare [kvm_amd]',
  );
  await app.shot(info, 'recorded caller in the inspector');
});
