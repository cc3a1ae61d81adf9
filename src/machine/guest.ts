/**
 * One guest's memory as the host sees it: the GPA space in 4K pages, its page state (KVM's
 * private/shared attribute, validated by PVALIDATE, which backings hold a frame), the VMM's
 * backing of guest RAM with its user mapping page size per 2 MiB GPA chunk (4K, THP, hugetlbfs
 * 2M/1G), and — for guest_memfd designs — the private frames. All sparse per 2 MiB.
 */
import type { GuestSpec } from './events';
import { G_PRIVATE } from './frame-bits';
import type { GuestKernel } from './kernels/design';
import { LinearMap } from './linear-map';
import { RegionWords } from './region-words';

export type GuestStatus = 'created' | 'running' | 'refused' | 'killed' | 'exited' | 'failed';

/** The host's own pages for a guest (kernels/snp-host.ts): per vCPU, and per VM. */
export type HostPageKind =
  | 'apic'
  | 'vmcb'
  | 'vmsa'
  | 'msrpm'
  | 'guest-req'
  | 'guest-resp'
  | 'context'
  | 'image';

export interface HostPage {
  kind: HostPageKind;
  pfn: number;
  count: number;
  /** The vCPU a per-vCPU page belongs to, else -1. */
  vcpu: number;
}

export class Guest {
  readonly pages: number;
  readonly chunks: number;
  /** SEV ASIDs start at 1. */
  readonly asid: number;
  status: GuestStatus = 'created';
  /** Why it stopped (refused/killed/failed), for the UI. */
  reason = '';
  state: RegionWords;
  /** GPA page → host frame in the VMM's backing (meaningful where G_BACKED). */
  backingMap: LinearMap;
  /** GPA page → guest_memfd frame, or the sequestered shared frame (meaningful where G_GMEM). */
  gmemMap: LinearMap;
  /** VMM user mapping per 2 MiB GPA chunk (MAP_*). */
  userMap: Uint8Array;
  /** Pages backed twice (a private frame and a shared copy). */
  doubleBacked = 0;
  /** gmem-1g: first GPA page of each 1 GiB block → its gigantic folio's first host frame. */
  gigaFolio = new Map<number, number>();
  /** gmem-1g: 1 GiB blocks whose folio has been split to 4K by a conversion. */
  gigaSplit = new Set<number>();
  /** gmem-thp: 1 where a GPA chunk's guest_memfd frames are one whole order-9 folio. */
  folio2m: Uint8Array;
  /** Pages the host allocated for this guest outside its RAM (VMCB, VMSA, firmware pages …). */
  hostPages: HostPage[] = [];

  constructor(
    readonly index: number,
    readonly spec: GuestSpec,
    initialPrivate: boolean,
    /** Host frames are below this (sizes the GPA → frame maps' storage). */
    hostPages: number,
    /** What this guest's events do: its kernel design's hooks (kernels/design.ts). */
    readonly kernel: GuestKernel,
  ) {
    this.pages = Math.floor(spec.memoryBytes / 4096);
    this.chunks = Math.ceil(this.pages / 512);
    this.asid = index + 1;
    this.state = new RegionWords(this.pages, initialPrivate ? G_PRIVATE : 0, G_PRIVATE);
    this.backingMap = new LinearMap(this.pages, hostPages);
    this.gmemMap = new LinearMap(this.pages, hostPages);
    this.userMap = new Uint8Array(this.chunks);
    this.folio2m = new Uint8Array(this.chunks);
  }

  /** Is this host frame inside one of the guest's gigantic guest_memfd folios? */
  isInGiga(pfn: number): boolean {
    for (const base of this.gigaFolio.values())
      if (pfn >= base && pfn < base + 512 * 512) return true;
    return false;
  }

  get running(): boolean {
    return this.status === 'running';
  }

  /** Become a copy of src (the same guest at another step), reusing this one's buffers. */
  copyFrom(src: Guest): void {
    this.status = src.status;
    this.reason = src.reason;
    this.state.copyFrom(src.state);
    this.backingMap.copyFrom(src.backingMap);
    this.gmemMap.copyFrom(src.gmemMap);
    this.userMap.set(src.userMap);
    this.folio2m.set(src.folio2m);
    this.doubleBacked = src.doubleBacked;
    this.gigaFolio = new Map(src.gigaFolio);
    this.gigaSplit = new Set(src.gigaSplit);
    this.hostPages = src.hostPages.map((p) => ({ ...p }));
  }

  clone(): Guest {
    const c = Object.create(Guest.prototype) as Guest;
    Object.assign(c, this, {
      state: this.state.clone(),
      backingMap: this.backingMap.clone(),
      gmemMap: this.gmemMap.clone(),
      userMap: this.userMap.slice(),
      folio2m: this.folio2m.slice(),
      gigaFolio: new Map(this.gigaFolio),
      gigaSplit: new Set(this.gigaSplit),
      hostPages: this.hostPages.map((p) => ({ ...p })),
    });
    return c;
  }
}
