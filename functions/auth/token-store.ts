import type { Capability } from './capabilities.js';

/** The server-side record of an API token: what lets tokens be listed and revoked. */
export interface TokenRecord {
  id: string;
  name: string;
  capabilities: Capability[];
  studies: 'all' | number[];
  expiresOn: string;
  createdOn: string;
  revokedOn?: string;
}

export interface TokenStore {
  /** Fails if a record with this id exists already. */
  create(record: TokenRecord): Promise<void>;
  /** A strongly consistent read, so that a revocation is seen by the very next call. */
  get(id: string): Promise<TokenRecord | undefined>;
  /** Marks the token revoked; returns false when there is no such token. Revoking twice keeps the first date. */
  revoke(id: string, at: Date): Promise<boolean>;
  /** Every token, newest first. */
  list(): Promise<TokenRecord[]>;
}
