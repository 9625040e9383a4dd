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
  /** Only on a per-slide token (QuPath links, functions/auth/slide-tokens.ts): never a bearer token. */
  slide?: SlideGrant;
}

/** What a per-slide token allows: one image, answered as one user, while its maker lives. */
export interface SlideGrant {
  imageId: number;
  email: string;
  /** Id of the API token that made it: giving that one up ends this one too. */
  makerId: string;
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
