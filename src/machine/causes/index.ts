/** The registry of host causes: one line per cause (none yet; issue 17 adds them). */
import type { HostCause } from './cause';

export const CAUSES: Readonly<Record<string, HostCause>> = {};
