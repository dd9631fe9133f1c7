/**
 * A one-line progress report on stderr for long CLI jobs (seeding, reindexing):
 * a bar, count, rate and ETA, redrawn in place on a terminal and printed about
 * every 10 % in logs.
 */
function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '--';
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function progressPrinter(label: string): { update(done: number, total: number): void; end(): void } {
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let lastDecile = -1;
  let printed = false;
  return {
    update(done, total) {
      const t = performance.now();
      // On a terminal redraw at most ~10 times a second; in logs, about every 10%.
      const decile = Math.floor((done / Math.max(1, total)) * 10);
      if (done < total && (tty ? t - last < 100 : decile === lastDecile)) return;
      last = t;
      lastDecile = decile;
      const elapsed = (t - started) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      const eta = rate > 0 ? ((total - done) / rate) * 1000 : Number.POSITIVE_INFINITY;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      const width = 24;
      const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : width;
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${pct}%)  ${Math.round(rate).toLocaleString('en-US')}/s  ETA ${formatDuration(eta)}`;
      process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
      printed = true;
    },
    end() {
      if (printed && tty) process.stderr.write('\n');
    },
  };
}
