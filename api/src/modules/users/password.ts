import argon2 from 'argon2';
import { BadUserInputError } from '../../errors.js';

// OWASP's argon2id minimum; hashes made with weaker settings are upgraded at next login
const PARAMS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** Bounds are checked before hashing so a megabyte "password" costs nothing. */
export function checkPasswordBounds(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new BadUserInputError(
      `The ${field} must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long.`,
      { field },
    );
  }
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, PARAMS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, PARAMS);
}

let dummy: Promise<string> | undefined;
/** Verifies against a throwaway hash so an unknown user costs as much time as a wrong password. */
export async function burnVerifyTime(password: string): Promise<void> {
  dummy ??= hashPassword('tiny-agent-timing-equaliser');
  await verifyPassword(await dummy, password.slice(0, PASSWORD_MAX));
}
