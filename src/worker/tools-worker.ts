/// <reference lib="webworker" />
/** The tools worker entry: ToolsHost behind comlink (sweep, import, reconcile, timelines). */
import { expose, transfer } from 'comlink';
import type { ToolsApi } from './protocol';
import { timelineBuffers } from './timeline-host';
import { ToolsHost } from './tools-host';

const host = new ToolsHost();
// A timeline's columns are tens of MB: transferred, not cloned.
const api: ToolsApi = Object.assign(Object.create(host) as ToolsHost, {
  openTimeline: async (input: Parameters<ToolsApi['openTimeline']>[0]) => {
    const r = await host.openTimeline(input);
    return transfer(r, timelineBuffers(r));
  },
  timelineHost: (index: number) => {
    const r = host.timelineHost(index);
    return transfer(r, timelineBuffers(r));
  },
});
expose(api satisfies ToolsApi);
