// Progress of a long CLI step on stderr: one updating line on a terminal; on a
// pipe or in CI a line every 10 % (for runs of at least `quietBelow` items)
// and always the last one, so logs stay short.

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} 秒`;

export function progress(label: string, quietBelow = 1000) {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let lastStep = -1;
  return (done: number, total: number) => {
    const pct = Math.floor((done / total) * 100);
    const took = done === total ? ` ${seconds(Date.now() - started)}` : '';
    if (tty) {
      process.stderr.write(`\r${label} ${pct}% (${done.toLocaleString('en')}/${total.toLocaleString('en')})${took}`);
      if (done === total) process.stderr.write('\n');
    } else if (Math.floor(pct / 10) !== lastStep || done === total) {
      lastStep = Math.floor(pct / 10);
      if (total >= quietBelow || done === total) process.stderr.write(`${label} ${pct}% (${done}/${total})${took}\n`);
    }
  };
}
