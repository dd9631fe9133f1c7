/** A one-line progress bar on stderr (redrawn in place on a terminal, plain lines otherwise). */
export function progressBar(label: string, total: number) {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let last = 0;
  const render = (done: number) => {
    const pct = total ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(pct * width);
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(done / secs) : 0;
    const eta = rate > 0 ? Math.max(0, Math.round((total - done) / rate)) : 0;
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${rate.toLocaleString('en-US')}/s ETA ${eta}s`;
  };
  return {
    update(done: number) {
      if (tty) process.stderr.write(`\r${render(done)}`);
      else if (Date.now() - last > 2000) {
        last = Date.now();
        process.stderr.write(`${render(done)}\n`);
      }
    },
    done() {
      process.stderr.write(tty ? '\n' : '');
    },
  };
}
