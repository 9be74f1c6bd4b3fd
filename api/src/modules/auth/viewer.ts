import type { Role } from '../users/user.entity.js';

/** Who is calling: resolved once per request (or per WebSocket operation) from a token. */
export interface Viewer {
  userId: string;
  username: string;
  role: Role;
  kind: 'session' | 'apiToken';
  /** the session or API token id: what logout / revoke end */
  credentialId: string;
}
