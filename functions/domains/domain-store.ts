/**
 * A domain: a web address (host name) of this deployment under which some studies are presented, for example
 * `scoring.example-hospital.org` pointed at the stack by DNS and CloudFront. Links the server makes for a study
 * with a domain (per-slide QuPath links, login links) use that host instead of the address the request came to.
 */
export interface Domain {
  /** Unique, compared without case. */
  name: string;
  /** A host name, with a port when not the default (`scoring.example.org`, `localhost:8000`). */
  host: string;
  /** `https` unless the host is a loopback address. */
  scheme: 'http' | 'https';
  description?: string;
  updatedOn: string;
}

export interface DomainStore {
  /** Creates the domain or replaces its host and description; returns whether it was new. */
  upsert(domain: Domain): Promise<boolean>;
  get(name: string): Promise<Domain | undefined>;
  /** The domain a study is presented under, if any. */
  domainOfStudy(studyId: number): Promise<Domain | undefined>;
  /** Sets (or with undefined, removes) the domain of a study. */
  setDomainOfStudy(studyId: number, name: string | undefined): Promise<void>;
}
