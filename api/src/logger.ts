import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  writeSync,
  existsSync,
} from 'node:fs';
import path from 'node:path';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  close(): void;
}

export interface LoggerOptions {
  dir: string;
  level?: Level;
  /** readable lines on the terminal; off in tests */
  console?: boolean;
  maxBytes?: number;
  keep?: number;
}

/** JSON lines to `<dir>/system.log`, rotated by size (rename + create, so tails follow it). */
export function createLogger(opts: LoggerOptions): Logger {
  const file = path.join(opts.dir, 'system.log');
  const min = ORDER[opts.level ?? 'info'];
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  const keep = opts.keep ?? 5;
  mkdirSync(opts.dir, { recursive: true });
  let fd = openSync(file, 'a', 0o640);
  let size = fstatSync(fd).size;

  const rotate = () => {
    closeSync(fd);
    for (let i = keep - 1; i >= 1; i--) {
      if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    renameSync(file, `${file}.1`);
    fd = openSync(file, 'a', 0o640);
    size = 0;
  };

  const write = (
    level: Level,
    msg: string,
    base: Record<string, unknown>,
    fields?: Record<string, unknown>,
  ) => {
    if (ORDER[level] < min || fd < 0) return;
    const record = { time: new Date().toISOString(), level, msg, ...base, ...fields };
    const line = JSON.stringify(record, errorReplacer) + '\n';
    // sync write: a log line must survive a crash right after it
    size += writeSync(fd, line);
    if (size > maxBytes) rotate();
    if (opts.console) {
      const extra = { ...base, ...fields };
      const tail = Object.keys(extra).length ? ' ' + JSON.stringify(extra, errorReplacer) : '';
      process.stderr.write(
        `${record.time.slice(11, 19)} ${level.toUpperCase().padEnd(5)} ${msg}${tail}\n`,
      );
    }
  };

  const make = (base: Record<string, unknown>): Logger => ({
    debug: (m, f) => write('debug', m, base, f),
    info: (m, f) => write('info', m, base, f),
    warn: (m, f) => write('warn', m, base, f),
    error: (m, f) => write('error', m, base, f),
    child: (f) => make({ ...base, ...f }),
    close: () => {
      if (fd >= 0) closeSync(fd);
      fd = -1;
    },
  });
  return make({});
}

function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
