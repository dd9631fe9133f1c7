import type { PgTable } from 'drizzle-orm/pg-core';
import type { DbHandle } from '#db/client';
import { nextDueMs } from './table';

/**
 * The one background loop for the queue tables (search outbox, mail outbox).
 *
 * A writer inserts its row and calls notifyQueue(tx, channel) inside its transaction; the
 * NOTIFY arrives when it commits (in this process or another one), the worker wakes and runs
 * batches while they find work. Between batches it sleeps until the next row is due (a
 * backed-off retry) or a notification arrives, and never longer than `pollMs`: a safety net
 * for a notification lost while the LISTEN connection was reconnecting.
 */

const MIN_WAIT_MS = 50;

export interface BatchOutcome {
  /** Rows claimed by this batch (0: nothing was due). */
  claimed: number;
  /** Rows among them that failed and were backed off. */
  failed: number;
  /** Look again after this long rather than when the next row is due (the search queue while its engine is down). */
  retryInMs?: number;
}

export interface QueueDefinition {
  /** The queue table: its earliest available_at says when a retry is due. */
  table: PgTable;
  /** The channel its writers notify (notifyQueue). */
  channel: string;
  /** One batch: claim due rows (claimDue), process them, delete what is done and back off what failed. */
  runBatch(): Promise<BatchOutcome>;
}

export interface QueueWorkerOptions {
  /** Longest sleep between looks at the table (ms). */
  pollMs?: number;
  /** After a batch threw (the database failed), how long before trying again (ms). */
  errorDelayMs?: number;
  /** A batch threw, or LISTEN could not be set up (polling still covers). */
  onError?: (err: unknown) => void;
  /** A batch finished with `failed` rows backed off (counted by the runtime as worker failures). */
  onFailed?: (failed: number) => void;
}

export class QueueWorker {
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** A notification arrived since the last batch began: run another at once. */
  private woken = false;
  private wake: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private listening: Promise<void> | undefined;

  constructor(
    private readonly handle: Pick<DbHandle, 'db' | 'listen'>,
    private readonly def: QueueDefinition,
    private readonly opts: QueueWorkerOptions = {},
  ) {}

  /**
   * Starts the loop at once, and LISTEN beside it. Resolves when LISTEN is in place (or has
   * failed: the worker then polls and tries LISTEN again after each batch); callers need not wait.
   */
  start(): Promise<void> {
    if (!this.loop) {
      this.stopping = false;
      this.loop = this.run();
    }
    return this.listen();
  }

  /** Lets the batch in progress finish, stops listening, and resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    this.listening = undefined;
    await unlisten?.().catch(() => {});
  }

  private listen(): Promise<void> {
    this.listening ??= this.handle
      .listen(this.def.channel, () => this.notified())
      .then(
        (unlisten) => {
          if (this.stopping || !this.loop) return void unlisten().catch(() => {});
          this.unlisten = unlisten;
          // A commit that came before LISTEN sent nothing this worker heard: look now.
          this.notified();
        },
        (err: unknown) => {
          this.listening = undefined;
          this.opts.onError?.(err);
        },
      );
    return this.listening;
  }

  private notified(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    const pollMs = this.opts.pollMs ?? 5000;
    while (!this.stopping) {
      this.woken = false;
      let delay: number;
      try {
        const r = await this.def.runBatch();
        if (r.failed > 0) this.opts.onFailed?.(r.failed);
        if (r.retryInMs !== undefined) delay = r.retryInMs;
        else if (r.claimed > 0 && r.failed === 0)
          delay = 0; // a clean batch: there may be more
        else {
          const due = await nextDueMs(this.handle.db, this.def.table);
          // A row due now that this batch did not claim is being claimed by another worker: wait a moment rather than spin.
          delay = due === null ? pollMs : r.claimed === 0 ? Math.max(due, MIN_WAIT_MS) : due;
        }
      } catch (err) {
        this.opts.onError?.(err);
        delay = this.opts.errorDelayMs ?? 1000;
      }
      if (!this.unlisten && !this.stopping) void this.listen();
      if (this.stopping || this.woken || delay <= 0) continue;
      await this.sleep(Math.min(delay, pollMs));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      // Like the intervals it replaces, a sleeping worker does not keep the process alive.
      timer.unref();
      this.wake = done;
    });
  }
}
