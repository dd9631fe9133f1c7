/**
 * Process shutdown in order: the HTTP server stops accepting and lets in-flight
 * requests finish, then workers finish their current batch, then pools close.
 * The registry lives on globalThis because the built server bundle and the CLI that
 * loads it are separate module graphs in one process; both must reach the same list.
 */
import { errInfo, log } from '#lib/log';

type Hook = { name: string; order: number; fn: () => Promise<void> };
interface Registry {
  hooks: Hook[];
  signals: boolean;
  stopping?: Promise<void>;
}

const KEY = Symbol.for('php-iop-jobs.lifecycle');
const g = globalThis as typeof globalThis & { [KEY]?: Registry };
const registry: Registry = (g[KEY] ??= { hooks: [], signals: false });

/** Lower `order` runs first: 0 the HTTP server, 10 workers and pools. */
export function onShutdown(name: string, fn: () => Promise<void>, order = 10): void {
  registry.hooks.push({ name, order, fn });
  if (!registry.signals) {
    registry.signals = true;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        void shutdown(sig).finally(() => process.exit(0));
      });
    }
  }
}

/** Runs every hook once, in order; a failing hook is reported and the rest still run. */
export function shutdown(reason: string): Promise<void> {
  registry.stopping ??= (async () => {
    const hooks = [...registry.hooks].sort((a, b) => a.order - b.order);
    log.info({ reason, steps: hooks.map((h) => h.name) }, 'shutting down');
    for (const h of hooks) {
      try {
        await h.fn();
      } catch (err) {
        log.error({ step: h.name, reason, err: errInfo(err) }, 'shutdown step failed');
      }
    }
  })();
  return registry.stopping;
}
