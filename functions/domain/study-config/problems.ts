/** How bad a problem is: an `error` line is skipped (or the value refused); a `warning` line is still used. */
export type Severity = 'error' | 'warning';

/** One thing wrong in a config file, for the Reimport log. `line` is 1-based and always within the file. */
export interface Problem {
  file: string;
  line: number;
  severity: Severity;
  reason: string;
}

/** What every parser returns: the value it could read, and everything it had to say about the text. */
export interface Parsed<T> {
  value: T;
  problems: Problem[];
}

/** Collects the problems of one file, so parsers only say line and reason. */
export class ProblemLog {
  readonly #problems: Problem[] = [];

  constructor(readonly file: string) {}

  error(line: number, reason: string): void {
    this.#problems.push({ file: this.file, line, severity: 'error', reason });
  }

  warning(line: number, reason: string): void {
    this.#problems.push({ file: this.file, line, severity: 'warning', reason });
  }

  /** In line order (some checks run after the whole file is read); stable within a line. */
  get problems(): Problem[] {
    return [...this.#problems].sort((a, b) => a.line - b.line);
  }
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** One Reimport log line, e.g. `study.x.emails line 3: error: "jan@nki" is not a valid email address`. */
export function formatProblem(problem: Problem): string {
  return `${problem.file} line ${problem.line}: ${problem.severity}: ${problem.reason}`;
}
