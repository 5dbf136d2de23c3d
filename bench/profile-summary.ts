// Summarizes a `node --cpu-prof` profile: the top self-time frames, and the inclusive time of every
// function of this library (lib/) or of the benchmark itself, to see what in lib/ causes the cost.
// Usage: node bench/out/build/bench/profile-summary.js <file.cpuprofile> [top=25]
import * as fs from 'fs';
import * as path from 'path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** `name (file:line)` with the path shortened to the package or the repository. */
function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '');
  const short = file.includes('node_modules/') ? file.slice(file.lastIndexOf('node_modules/') + 'node_modules/'.length)
    : file.includes('/bench/out/build/') ? file.slice(file.indexOf('/bench/out/build/') + '/bench/out/build/'.length) : path.basename(file);
  return `${functionName || '(anonymous)'} (${short || 'native'}${short ? `:${lineNumber + 1}` : ''})`;
}

export function summarize(profile: Profile, top: number): string {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const selfByFrame = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const name = frameName(byId.get(id)!);
    selfByFrame.set(name, (selfByFrame.get(name) ?? 0) + us);
  }
  // Inclusive time of frames in lib/ and bench/ (counted once per stack even when recursive).
  const inclusive = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id)!;
    let us = selfUs.get(id) ?? 0;
    const name = frameName(node);
    const ours = /(^|\()(lib|bench)\//.test(name.replace(/^.*\(/, '(')) && !onStack.has(name);
    const next = ours ? new Set([...onStack, name]) : onStack;
    for (const child of node.children ?? []) us += walk(child, next);
    if (ours) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    return us;
  };
  walk(profile.nodes[0].id, new Set());

  const ms = (us: number) => `${(us / 1000).toFixed(0)} ms`;
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)} %`;
  const lines = [`Total sampled: ${ms(total)}`, '', `Top ${top} frames by self time:`];
  for (const [name, us] of [...selfByFrame].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${ms(us).padStart(8)}  ${pct(us).padStart(6)}  ${name}`);
  lines.push('', 'Inclusive time of lib/ and bench/ functions:');
  for (const [name, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${ms(us).padStart(8)}  ${pct(us).padStart(6)}  ${name}`);
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node profile-summary.js <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${summarize(JSON.parse(fs.readFileSync(file, 'utf8')), Number(top ?? 25))}\n`);
}
