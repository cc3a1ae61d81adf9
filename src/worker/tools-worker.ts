/// <reference lib="webworker" />
/** The tools worker entry: ToolsHost behind comlink (sweep, import, reconcile). */
import { expose } from 'comlink';
import type { ToolsApi } from './protocol';
import { ToolsHost } from './tools-host';

expose(new ToolsHost() satisfies ToolsApi);
