/** The engine host: everything the worker exposes, testable without a worker. */

import { formatMeminfo, meminfoFromCounts } from '../formats/meminfo';
import { bootDirectMap, countPieces } from '../machine/boot-layout';
import { type BootSummary, type EngineApi, PROTOCOL_VERSION } from './protocol';

export class EngineHost implements Pick<EngineApi, 'protocolVersion' | 'bootSummary'> {
  protocolVersion(): number {
    return PROTOCOL_VERSION;
  }

  bootSummary(ramBytes: number, gbpages: boolean): BootSummary {
    const meminfo = meminfoFromCounts(
      countPieces(bootDirectMap([{ start: 0, end: ramBytes }], gbpages)),
    );
    return { meminfo, meminfoText: formatMeminfo(meminfo, gbpages) };
  }
}
