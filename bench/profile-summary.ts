import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and says where the CPU went: self time by
 * area (a package, an app file, node internals, GC), and inclusive (on-stack) time of the
 * app's own functions and of the packages it calls. Only synchronous stacks are sampled:
 * time spent waiting for the database is not CPU and shows up in the statement timings.
 *
 * Usage: `npx tsx bench/profile-summary.ts <file.cpuprofile>` (bench/run.ts calls it with BENCH_PROFILE=1).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = process.cwd();

function areaOf(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) {
    if (frame.functionName === '(garbage collector)') return 'GC';
    if (frame.functionName === '(idle)') return 'idle';
    if (frame.functionName === '(program)') return 'program (native, V8)';
    return frame.functionName || 'native';
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node internals';
  const rel = sourcePath(url);
  if (rel.startsWith('src/') || rel.startsWith('entities/')) return `app ${rel}`;
  if (rel.startsWith('bench/')) return 'bench harness';
  return rel;
}

function labelOf(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'} ${sourcePath(url)}:${frame.lineNumber + 1}`;
}

/** The repository path of a profiled file; the servers run compiled, so dist/src/x.js reads src/x.js. */
function sourcePath(url: string): string {
  return relative(ROOT, url).replace(/^dist\//, '');
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  selfByArea: Array<[string, number]>;
  inclusiveByPackage: Array<[string, number]>;
  inclusiveByAppFunction: Array<[string, number]>;
  selfByFunction: Array<[string, number]>;
}

export function summarizeProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfByArea = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusiveByPackage = new Map<string, number>();
  const inclusiveByAppFunction = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    const node = byId.get(id);
    if (!node) return;
    const area = areaOf(node.callFrame);
    if (area === 'idle') {
      idleUs += us;
      return;
    }
    // A native frame (a syscall, GC) is charged to the nearest JavaScript caller's area too.
    let caller = '';
    if (!node.callFrame.url) {
      for (let cur = parent.get(id); cur !== undefined; cur = parent.get(cur)) {
        const frame = byId.get(cur)!.callFrame;
        if (frame.url) {
          caller = ` ← ${areaOf(frame)}`;
          break;
        }
      }
    }
    add(selfByArea, `${area}${caller}`, us);
    add(selfByFunction, `${labelOf(node.callFrame)} [${area}${caller}]`, us);
    const packages = new Set<string>();
    const appFunctions = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      const a = areaOf(frame);
      if (a.startsWith('app ')) appFunctions.add(labelOf(frame));
      else if (frame.url.includes('/node_modules/')) packages.add(a);
    }
    for (const p of packages) add(inclusiveByPackage, p, us);
    for (const f of appFunctions) add(inclusiveByAppFunction, f, us);
  });

  const top = (m: Map<string, number>, n: number): Array<[string, number]> =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, v / 1000]);
  return {
    totalMs: totalUs / 1000,
    busyMs: (totalUs - idleUs) / 1000,
    selfByArea: top(selfByArea, 14),
    inclusiveByPackage: top(inclusiveByPackage, 10),
    inclusiveByAppFunction: top(inclusiveByAppFunction, 14),
    selfByFunction: top(selfByFunction, 14),
  };
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const pct = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1).padStart(5)} %`;
  const lines: string[] = [];
  lines.push(`  sampled ${(summary.totalMs / 1000).toFixed(1)} s, of which busy (not idle) ${(summary.busyMs / 1000).toFixed(1)} s; shares below are of busy time`);
  const section = (title: string, rows: Array<[string, number]>) => {
    lines.push(`  ${title}`);
    for (const [k, ms] of rows) lines.push(`    ${pct(ms)}  ${k}`);
  };
  section('self time by area:', summary.selfByArea);
  section('on-stack time by package (inclusive):', summary.inclusiveByPackage);
  section('on-stack time of app functions (inclusive, synchronous part):', summary.inclusiveByAppFunction);
  section('hottest functions (self):', summary.selfByFunction);
  return lines.join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile>\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfileSummary(summarizeProfile(file))}\n`);
}
