// Exit codes (sysexits.h where one fits), so a script can tell a refusal from the run's own code.
export const EXIT = {
  OK: 0,
  /** the server refused: BAD_USER_INPUT, NOT_FOUND, PAYLOAD_TOO_LARGE, … */
  REFUSED: 65,
  USAGE: 64,
  /** a local file to send cannot be read */
  NOINPUT: 66,
  UNREACHABLE: 69,
  /** INTERNAL_SERVER_ERROR, or an answer the client could not read */
  SERVER: 70,
  /** CONFLICT, RATE_LIMITED: try again later */
  TEMPFAIL: 75,
  AUTH: 77,
  /** the config file is unsafe or unreadable */
  CONFIG: 78,
  /** `run`: the run ended INTERRUPTED (the server stopped while it ran) */
  INTERRUPTED: 123,
  /** `run`: TIMED_OUT, as timeout(1) */
  TIMED_OUT: 124,
  /** `run`: CANCELLED by someone */
  CANCELLED: 125,
  /** `run`: an approver rejected it, or nobody approved it in time (agent.yaml `approval:`) */
  NOT_APPROVED: 126,
  /** `run`: the program could not be started */
  NOT_STARTED: 127,
  /** stopped with Ctrl-C (the run goes on on the server) */
  SIGINT: 130,
} as const;

/** A failure the CLI reports in one line on stderr and turns into its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

/** The server could not be reached (refused, reset, DNS): worth retrying while following. */
export class UnreachableError extends CliError {
  constructor(url: string, cause: unknown) {
    super(`cannot reach ${url}: ${reason(cause)}`, EXIT.UNREACHABLE);
  }
}

/** A GraphQL error from the server, its `extensions.code` shown. */
export class ServerError extends CliError {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(code ? `${message} (${code})` : message, exitCodeOf(code));
  }
}

function exitCodeOf(code: string | undefined): number {
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return EXIT.AUTH;
  if (code === 'CONFLICT' || code === 'RATE_LIMITED') return EXIT.TEMPFAIL;
  if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) return EXIT.SERVER;
  return EXIT.REFUSED;
}

/** The words of an error, through fetch's `cause` (ECONNREFUSED hides there). */
export function reason(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string }; code?: string };
  return e?.cause?.code ?? e?.cause?.message ?? e?.code ?? e?.message ?? String(err);
}
