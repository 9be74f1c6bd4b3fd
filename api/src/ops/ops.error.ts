// Exit codes of `npm run backup` / `npm run restore`, after sysexits.h: scripts can tell the cases apart.
export const EXIT = {
  OK: 0,
  /** anything unexpected (a disk error, a tool that failed) */
  FAILED: 1,
  /** wrong arguments */
  USAGE: 64,
  /** the backup is damaged, or the restored data failed its integrity check */
  DATA: 65,
  /** the destination is in the way: a non-empty backup folder, data without --force */
  CANT_CREATE: 73,
  /** an instance is running on the data: stop it first */
  IN_USE: 75,
} as const;

/** An expected refusal: one line a user can act on, and the exit code for it. */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILED,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}
