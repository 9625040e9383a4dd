import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';

/**
 * Memory and sockets of another process, read from Linux's /proc. `npm start` runs `tsx`, which runs the real
 * `node` as its child: the process that serves HTTP (and hosts tus and s3rver) is that child, not the one
 * `spawn` returned.
 */

/** Direct children of a process (every thread's `children` list). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    if (text) children.push(...text.split(/\s+/).map(Number));
  }
  return children;
}

/** The command name of a process (`/proc/<pid>/comm`). */
export function commandOf(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

export interface MemoryStatus {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size (high-water mark) since start or the last resetPeak, bytes. */
  hwm: number;
}

export function memoryOf(pid: number): MemoryStatus {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') * 1024, hwm: kib('VmHWM') * 1024 };
}

/**
 * Resets the process's VmHWM to its current RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux ≥ 4.0). False
 * where that is not allowed; then only sampling tells a phase's peak.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every `intervalMs` (and at start and stop); `stop` returns the largest value seen. */
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 50,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  private sample(): void {
    this.peak = Math.max(this.peak, memoryOf(this.pid).rss);
  }
}

/** TCP ports a process listens on (its socket fds matched against /proc/<pid>/net/tcp{,6} LISTEN rows). */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (socket) inodes.add(socket);
    } catch {
      // the fd closed while we listed them
    }
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      const [local, state, inode] = [columns[1], columns[3], columns[9]];
      if (state === '0A' && local && inode && inodes.has(inode)) {
        ports.add(Number.parseInt(local.split(':')[1] ?? '', 16));
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** CPU time a process has used so far (its own threads, not its children's), seconds. */
export function cpuOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;
