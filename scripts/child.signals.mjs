// Signals sent to `npm start` / `npm run dev` reach the processes they started, and those end with us.
// npm forwards only SIGTERM and SIGINT to its script; if npm itself dies (SIGHUP, SIGKILL) we are
// re-parented, and stop the children then too, so a service manager never leaves a server listening.

const FORWARDED = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** Forwards our stop signals to the live children `current()` returns; SIGHUP stops them gracefully as SIGTERM. */
export function forwardSignals(current) {
  const stop = (signal) => {
    for (const child of current()) {
      if (child.exitCode === null && child.signalCode === null)
        child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
    }
  };
  for (const signal of FORWARDED) process.on(signal, () => stop(signal));
  const parent = process.ppid;
  // polled because Linux tells an orphan nothing; one getppid() a second costs nothing
  globalThis.setInterval(() => process.ppid !== parent && stop('SIGTERM'), 1000).unref();
}

/** Ends this process the way `child` ended: same exit code, or the same signal. */
export function exitLike(child) {
  const code = child.exitCode;
  const signal = child.signalCode;
  if (signal) {
    for (const s of FORWARDED) process.removeAllListeners(s);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
}
