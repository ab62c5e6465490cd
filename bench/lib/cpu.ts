// The CPU time of the bench's children, from the kernel: on Linux, /proc/self/stat holds the user and
// system time of every child this process has waited for (cutime, cstime). A child is waited for when
// it exits, so the growth of that sum across a run is the CPU the run's processes used, start-up and
// sign-in included, whatever they do inside and without touching them. Elsewhere: null (not measured).
import { readFileSync } from 'node:fs';

/** /proc's clock ticks per second (USER_HZ): 100 on every Linux the bench runs on. */
export const USER_HZ = 100;

/**
 * cutime + cstime (fields 16 and 17 of proc(5)'s stat line), in clock ticks. The command name (field
 * 2) is in parentheses and may hold spaces or parentheses itself, so the fields are counted from the
 * last ')'.
 */
export function waitedChildrenTicks(stat: string): number {
  const close = stat.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc stat line: no ")"');
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  if (!Number.isInteger(cutime) || !Number.isInteger(cstime))
    throw new Error('not a /proc stat line: no cutime/cstime');
  return cutime + cstime;
}

/** CPU ms of every child waited for so far, or null where /proc/self/stat cannot be read. */
export function waitedChildrenCpuMs(read: () => string = () => readFileSync('/proc/self/stat', 'utf8')): number | null {
  try {
    return (waitedChildrenTicks(read()) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

/** CPU ms per request, or null when either is unknown (or there were no requests). */
export function cpuPerRequest(cpuMs: number | null, requests: number): number | null {
  if (cpuMs === null || !Number.isFinite(cpuMs) || !(requests > 0)) return null;
  return cpuMs / requests;
}

/** utime + stime (fields 14 and 15) of a live process's stat line, in clock ticks. */
export function ownTicks(stat: string): number {
  const close = stat.lastIndexOf(')');
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (close < 0 || !Number.isInteger(utime) || !Number.isInteger(stime))
    throw new Error('not a /proc stat line: no utime/stime');
  return utime + stime;
}

/** CPU ms a live process (the emulator) has used so far, or null where /proc cannot be read. */
export function processCpuMs(
  pid: number,
  read = (p: number) => readFileSync(`/proc/${p}/stat`, 'utf8'),
): number | null {
  try {
    return (ownTicks(read(pid)) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}
