/**
 * QEMU's private/shared conversion trace, replayed as guest share/unshare events.
 *
 * accel/kvm/trace-events: kvm_convert_memory(uint64_t start, uint64_t size, const char *msg)
 * "start 0x%" PRIx64 " size 0x%" PRIx64 " %s", msg being "shared_to_private" or
 * "private_to_shared" (kvm_convert_memory() in accel/kvm/kvm-all.c, on a KVM_EXIT_MEMORY_FAULT
 * from a guest page-state change). The log backend prefixes "<pid>@<time>:"; -trace to stderr may
 * not. private_to_shared is the guest sharing a range; shared_to_private makes it private again.
 */
import { fail, kernelLines, type Parsed, parseHex } from './common';

export interface ConversionEvent {
  op: 'share' | 'unshare';
  gpa: number;
  sizeBytes: number;
  line: number;
}

const TRACE =
  /kvm_convert_memory\s+start 0x([0-9a-fA-F]{1,16}) size 0x([0-9a-fA-F]{1,16}) (shared_to_private|private_to_shared)\s*$/;

export function parseQemuTrace(text: string): Parsed<ConversionEvent[]> {
  const { lines } = kernelLines(text);
  const events: ConversionEvent[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i]!;
    if (!s.includes('kvm_convert_memory')) continue;
    const m = TRACE.exec(s);
    if (!m) {
      return fail(
        i + 1,
        'malformed kvm_convert_memory line',
        '"kvm_convert_memory start 0x<gpa> size 0x<bytes> shared_to_private|private_to_shared"',
      );
    }
    const gpa = parseHex(m[1]!);
    const size = parseHex(m[2]!);
    if (gpa === null || size === null || gpa + size > BigInt(Number.MAX_SAFE_INTEGER)) {
      return fail(i + 1, 'address or size out of range', 'a guest physical range below 2^53');
    }
    if (gpa % 4096n !== 0n || size % 4096n !== 0n || size === 0n) {
      warnings.push(`line ${i + 1}: range is not whole 4 KiB pages`);
    }
    events.push({
      op: m[3] === 'private_to_shared' ? 'share' : 'unshare',
      gpa: Number(gpa),
      sizeBytes: Number(size),
      line: i + 1,
    });
  }
  if (events.length === 0) {
    return fail(
      0,
      'no kvm_convert_memory trace lines found',
      'QEMU run with -trace kvm_convert_memory',
    );
  }
  return { ok: true, value: events, warnings };
}
