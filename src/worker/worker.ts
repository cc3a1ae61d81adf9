/// <reference lib="webworker" />
import { expose } from 'comlink';
import { EngineHost } from './host';

expose(new EngineHost());
