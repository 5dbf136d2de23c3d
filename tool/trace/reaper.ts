import * as fs from 'fs';

/**
 * Finds and kills every process a run started, wherever it went: runner.py makes itself a child subreaper on
 * Linux (`prctl(PR_SET_CHILD_SUBREAPER)`), so a child in a new session (`setsid`, `start_new_session=True`) or a
 * double-forked daemon stays below the runner in the process tree, where /proc shows it. Elsewhere (no /proc)
 * only the runner's process group is killed: a process that left it survives (docs/local-trace.md).
 */

/** pid -> parent pid of every process /proc lists now; empty without /proc. */
export function processParents(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf-8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // a zombie is dead already; only its parent can reap it
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  return parents;
}

/** Every live descendant of `root` (not `root` itself). */
export function descendants(root: number, parents: Map<number, number> = processParents()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (out.includes(pid)) continue;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: already gone
  }
}

/**
 * Kill `root` and all its descendants: stop them first (a stopped process cannot fork), looking again until no
 * new one appears, then SIGKILL them all. Resolves with the number of descendants killed (`root` not counted).
 */
export function killTree(root: number): number {
  const stopped = new Set<number>();
  signal(root, 'SIGSTOP');
  for (let round = 0; round < 20; round++) {
    const found = descendants(root).filter((pid) => !stopped.has(pid));
    if (found.length === 0) break;
    for (const pid of found) {
      signal(pid, 'SIGSTOP');
      stopped.add(pid);
    }
  }
  for (const pid of stopped) signal(pid, 'SIGKILL');
  signal(root, 'SIGKILL');
  return stopped.size;
}
