import type { Capability } from './capabilities.js';
import type { TokenClaims } from './token-codec.js';

/** Who is calling: the verified claims of the bearer token, with the checks handlers need. */
export class Caller {
  private readonly capabilities: ReadonlySet<Capability>;
  private readonly studies: ReadonlySet<number> | 'all';

  constructor(readonly claims: TokenClaims) {
    this.capabilities = new Set(claims.capabilities);
    this.studies = claims.studies === 'all' ? 'all' : new Set(claims.studies);
  }

  get tokenId(): string {
    return this.claims.id;
  }

  can(capability: Capability): boolean {
    return this.capabilities.has(capability);
  }

  mayAccessStudy(studyId: number): boolean {
    return this.studies === 'all' || this.studies.has(studyId);
  }

  /** `all`, or the study IDs this token is limited to. */
  get studyScope(): 'all' | number[] {
    return this.studies === 'all' ? 'all' : [...this.studies];
  }
}
