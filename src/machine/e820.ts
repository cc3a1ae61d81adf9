/**
 * [e820.typical] The firmware memory map a host given only as "ram: X" gets (the BIOS-e820 lines
 * arch/x86/kernel/e820.c prints at boot), so that zones, the boot-time direct map and placement
 * see the holes a real machine has:
 *
 *   [0, 0x9fc00)            usable  (639 KiB; 0x9fc00–0xfffff: EBDA, VGA, option and BIOS ROMs)
 *   [0x100000, low)         usable  below the 32-bit PCI hole
 *   [4 GiB, 4 GiB + X − low) usable  the rest, remapped above 4 GiB
 *
 * low is X when X < 2.75 GiB, else 2 GiB: QEMU's q35 machine (pc_q35_init(), hw/i386/pc_q35.c)
 * and most two-socket server firmware put the PCI hole at 0x80000000. ACPI and reserved areas
 * just below the hole are not modelled. The 388 KiB below 1 MiB are lost, as on real hardware.
 */
import { GiB } from './units';

export type HostLayout = 'e820-typical' | 'ranges';

export const LOW_USABLE_END = 0x9fc00;
export const LEGACY_HOLE_END = 0x100000;
/** pc_q35_init(): "ram_size >= 0xb0000000 ? 0x80000000 : 0xb0000000" */
const Q35_LOWMEM_LIMIT = 0xb0000000;
const PCI_HOLE_START = 0x80000000;

export function typicalE820(ramBytes: number): { start: number; end: number }[] {
  const low = ramBytes >= Q35_LOWMEM_LIMIT ? PCI_HOLE_START : ramBytes;
  const out = [{ start: 0, end: Math.min(LOW_USABLE_END, ramBytes) }];
  if (low > LEGACY_HOLE_END) out.push({ start: LEGACY_HOLE_END, end: low });
  if (ramBytes > low) out.push({ start: 4 * GiB, end: 4 * GiB + ramBytes - low });
  return out;
}
