/**
 * The one message protocol between the UI thread and the engine worker. Both sides import only
 * this file's types; comlink carries the calls. Bump PROTOCOL_VERSION when a call changes shape.
 */
import type { Meminfo } from '../formats/meminfo';

export const PROTOCOL_VERSION = 1;

export interface BootSummary {
  meminfo: Meminfo;
  meminfoText: string;
}

export interface EngineApi {
  protocolVersion(): number;
  bootSummary(ramBytes: number, gbpages: boolean): BootSummary;
}
