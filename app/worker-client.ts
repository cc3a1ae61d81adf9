/**
 * A worker behind comlink with a failure state. Every call is tracked: when the worker dies (its
 * `error` event: an uncaught exception or a worker that could not start; `messageerror`: an
 * answer that could not be deserialised), every pending call is rejected with a WorkerFailure,
 * later calls reject at once, and subscribers hear the reason, so the app shows a failed state
 * instead of waiting forever. restart() starts a new worker behind the same `api`.
 */
import { type Remote, wrap } from 'comlink';

/** A call that could not be answered because its worker stopped. */
export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';
}

export type FailureListener = (reason: string | null) => void;

export class WorkerClient<Api extends object> {
  /** Calls to the current worker; the same object across restarts. */
  readonly api: Remote<Api>;
  private worker: Worker | null = null;
  private remote: Remote<Api> | null = null;
  private readonly pending = new Set<(e: Error) => void>();
  private failure: string | null = null;
  private readonly listeners = new Set<FailureListener>();

  constructor(private readonly start: () => Worker) {
    this.api = new Proxy({} as Remote<Api>, {
      get: (_, prop) =>
        // Not a thenable: `await client.api` must not call the worker.
        prop === 'then' || typeof prop !== 'string'
          ? undefined
          : (...args: unknown[]) => this.call(prop, args),
    });
  }

  /** Why the worker stopped, or null while it works. */
  get failed(): string | null {
    return this.failure;
  }

  /** Called with the reason when the worker stops and with null when it is restarted. */
  subscribe(fn: FailureListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Start the worker now (it parses its bundle while the page goes on). */
  warm(): void {
    this.ensure();
  }

  /** A new worker behind the same api; the failure is cleared. */
  restart(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.rejectAll('the worker was restarted');
    this.failure = null;
    this.ensure();
    this.emit();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.rejectAll('the worker was closed');
  }

  /**
   * Test hook (e2e/worker-failure.spec.ts): terminate the worker and report it as an `error`
   * event, the way a crashed worker is reported.
   */
  kill(message = 'killed by the test hook'): void {
    const w = this.worker;
    if (!w) return;
    w.terminate();
    w.dispatchEvent(new ErrorEvent('error', { message }));
  }

  private ensure(): Remote<Api> {
    if (this.remote) return this.remote;
    const w = this.start();
    w.addEventListener('error', (e) => {
      // An error event without a message is a worker that failed to load its script.
      if (w === this.worker) this.fail(e.message || 'the worker script could not be loaded');
    });
    w.addEventListener('messageerror', () => {
      if (w === this.worker) this.fail('an answer could not be read (messageerror)');
    });
    this.worker = w;
    this.remote = wrap<Api>(w);
    return this.remote;
  }

  private fail(reason: string): void {
    if (this.failure !== null) return;
    this.failure = reason;
    this.worker?.terminate();
    this.rejectAll(reason);
    this.emit();
  }

  private rejectAll(reason: string): void {
    const rejects = [...this.pending];
    this.pending.clear();
    for (const r of rejects) r(new WorkerFailure(reason));
  }

  private emit(): void {
    for (const l of this.listeners) l(this.failure);
  }

  private call(method: string, args: unknown[]): Promise<unknown> {
    if (this.failure !== null) return Promise.reject(new WorkerFailure(this.failure));
    const remote = this.ensure() as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    return new Promise((resolve, reject) => {
      this.pending.add(reject);
      remote[method]!(...args).then(
        (v) => {
          this.pending.delete(reject);
          resolve(v);
        },
        (e: unknown) => {
          this.pending.delete(reject);
          reject(e);
        },
      );
    });
  }
}
