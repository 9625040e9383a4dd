import { type FieldKind, fieldProblem } from '../domain/limits/field-limits.js';
import { badRequest } from './errors.js';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/**
 * The request's parameters: query string first, then the form body, on GET and POST alike (the official SDK
 * sends GET requests with form bodies). Names are matched without regard to case (`studyid`, `studyId` and
 * `StudyID` are one parameter), as ASP.NET model binding does.
 */
export class Parameters {
  private readonly values = new Map<string, string[]>();
  readonly files: UploadedFile[] = [];

  add(name: string, value: string): void {
    const key = name.toLowerCase();
    const list = this.values.get(key);
    if (list) list.push(value);
    else this.values.set(key, [value]);
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  /** The first value given for the name. */
  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.[0];
  }

  getAll(name: string): string[] {
    return this.values.get(name.toLowerCase()) ?? [];
  }

  /** A value that must be present and not blank. */
  required(name: string): string {
    const value = this.get(name);
    if (value === undefined || value.trim() === '') throw badRequest(`Missing parameter ${name}`);
    return value;
  }

  /** A required value, trimmed, within the limits of its kind of field (docs/api.md "Input limits"). */
  requiredField(name: string, kind: FieldKind): string {
    const value = this.required(name).trim();
    const problem = fieldProblem(kind, value, name);
    if (problem) throw badRequest(problem);
    return value;
  }

  /** A whole number; absent gives undefined, anything but digits is refused. */
  integer(name: string): number | undefined {
    const value = this.get(name)?.trim();
    if (value === undefined || value === '') return undefined;
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw badRequest(`Parameter ${name} must be a whole number, not "${value}"`);
    }
    return Number(value);
  }

  requiredInteger(name: string): number {
    const value = this.integer(name);
    if (value === undefined) throw badRequest(`Missing parameter ${name}`);
    return value;
  }

  /** `true`/`false` in any case (Python sends `True`), `1`/`0`; absent gives the fallback. */
  boolean(name: string, fallback = false): boolean {
    const value = this.get(name)?.trim().toLowerCase();
    if (value === undefined || value === '') return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw badRequest(`Parameter ${name} must be true or false, not "${value}"`);
  }
}
