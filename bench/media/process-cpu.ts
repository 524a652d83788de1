/**
 * CPU time of a process we did not start ourselves (baresip, started by the interop lab), read
 * from /proc, and of our own process (process.cpuUsage).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * The pid of the baresip started with `-f <dir>` (the lab's `Baresip.dir`): the lab does not
 * expose the pid, and adding nothing to the harness, we find it by its command line.
 */
export function findBaresipPid(dir: string): number {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    const f = args.indexOf('-f');
    if (f >= 0 && args[f + 1] === dir && basename(args[0] ?? '') === 'baresip') found.push(Number(entry));
  }
  if (found.length !== 1) throw new Error(`expected one baresip process with -f ${dir}, found ${found.length}`);
  return found[0]!;
}

/**
 * CPU time in ns that a process has used: the sum of `sum_exec_runtime` (first field of
 * /proc/<pid>/task/<tid>/schedstat, in ns) over its threads. Threads that exited are missing,
 * so take a window in which the thread set is stable (a call that stays up); /proc/<pid>/stat's
 * utime+stime would include them but only in clock ticks (10 ms), too coarse for a 10 s window.
 */
export function processCpuNs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return total;
}

/** Our own process's CPU time (all threads) in ms, user and system. */
export function ownCpuMs(): { user: number; system: number } {
  const usage = process.cpuUsage();
  return { user: usage.user / 1000, system: usage.system / 1000 };
}
