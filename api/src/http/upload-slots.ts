import type { ServerResponse } from 'node:http';

/**
 * How many uploads each user has in progress: one user can't hold every connection and
 * descriptor the server has by opening uploads and sending them slowly.
 */
export class UploadSlots {
  private readonly inUse = new Map<string, number>();
  constructor(private readonly perUser: number) {}

  /** Takes a place for `userId` until `res` closes (answered or cut off); false when all are taken. */
  take(userId: string, res: ServerResponse): boolean {
    const n = this.inUse.get(userId) ?? 0;
    if (n >= this.perUser) return false;
    this.inUse.set(userId, n + 1);
    res.once('close', () => {
      const left = (this.inUse.get(userId) ?? 1) - 1;
      if (left > 0) this.inUse.set(userId, left);
      else this.inUse.delete(userId); // the map holds only users with an upload in progress
    });
    return true;
  }

  get limit(): number {
    return this.perUser;
  }
}
