// A schedule's times in words for the common shapes, and its next times in the viewer's zone. Pure.

const pad = (n: string) => n.padStart(2, '0');
const WHOLE = /^\d{1,2}$/;

/** `every 2 seconds`, `every minute`, `every day at 03:00`; null when the cron is best read as written. */
export function cronInWords(cron: string): string | null {
  const f = cron.trim().split(/\s+/);
  const [sec, rest] = f.length === 6 ? [f[0]!, f.slice(1)] : ['0', f];
  if (rest.length !== 5) return null;
  const [min, hour, dom, mon, dow] = rest as [string, string, string, string, string];
  const anyDay = dom === '*' && mon === '*' && dow === '*';
  if (!anyDay) return null;
  if (min === '*' && hour === '*') {
    if (sec === '*') return 'every second';
    const step = /^\*\/(\d+)$/.exec(sec)?.[1];
    if (step) return `every ${step} seconds`;
    if (sec === '0') return 'every minute';
    return null;
  }
  if (sec !== '0') return null;
  const minStep = /^\*\/(\d+)$/.exec(min)?.[1];
  if (minStep && hour === '*') return `every ${minStep} minutes`;
  if (WHOLE.test(min) && hour === '*') return `every hour at minute ${min}`;
  if (WHOLE.test(min) && WHOLE.test(hour)) return `every day at ${pad(hour)}:${pad(min)}`;
  return null;
}

/** A next time in the viewer's own zone, named (`Mon, 8 Dec 2026, 03:00 CET`); seconds when the cron has them. */
export function formatNextRun(iso: string, withSeconds: boolean, locale?: string): string {
  return new Date(iso).toLocaleString(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    timeZoneName: 'short',
  });
}

export const hasSeconds = (cron: string) => cron.trim().split(/\s+/).length === 6;
