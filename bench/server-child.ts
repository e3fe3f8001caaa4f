import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { join } from 'node:path';
import { FromChild, ServerStats, ToChild } from './child';

/**
 * A server under test in its own process (bench/child.ts is its side): started from the
 * compiled script, talked to over the fork IPC channel, stopped cleanly or killed.
 */

const ROOT = join(__dirname, '..');

export class ServerChild {
  private readonly tail: string[] = [];
  private readonly errors: string[] = [];
  private readonly waiters: Array<{ types: string[]; resolve(m: FromChild): void; reject(e: Error): void }> = [];
  private exited: Promise<void>;
  private hasExited = false;
  port = 0;

  private constructor(private readonly proc: ChildProcess) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.tail.push(line);
        if (this.errors.length < 5 && /"level":(50|60)/.test(line)) this.errors.push(line);
      }
      if (this.tail.length > 40) this.tail.splice(0, this.tail.length - 40);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    proc.on('message', (m: FromChild) => {
      const i = this.waiters.findIndex((w) => w.types.includes(m.type));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
    });
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.hasExited = true;
        const error = new Error(`the server process exited (${signal ?? code})\n${this.logTail()}`);
        for (const w of this.waiters.splice(0)) w.reject(error);
        resolve();
      });
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  errorLines(): string[] {
    return [...this.errors];
  }

  logTail(): string {
    return this.tail.map((l) => `    | ${l}`).join('\n');
  }

  /**
   * Starts a server script as compiled by `compileServers` on plain Node, as `npm start` runs
   * the app: compiled JavaScript, no TypeScript loader in the process.
   */
  static async start(script: string, env: Record<string, string>): Promise<ServerChild> {
    const proc = fork(join(ROOT, 'dist', 'bench', `${script}.js`), [], {
      cwd: ROOT,
      execArgv: [],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const child = new ServerChild(proc);
    const first = await child.waitFor(['ready', 'failed'], 120_000);
    if (first.type === 'failed') {
      await child.stop();
      throw new Error(`the server did not start: ${first.message}\n${child.logTail()}`);
    }
    if (first.type === 'ready') child.port = first.port;
    return child;
  }

  private waitFor(types: FromChild['type'][], timeoutMs: number): Promise<FromChild> {
    if (this.hasExited) return Promise.reject(new Error(`the server process has exited\n${this.logTail()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${types.join('/')} from the server in ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        types,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  send(message: ToChild): void {
    if (!this.hasExited && this.proc.connected) this.proc.send(message);
  }

  async stats(): Promise<ServerStats> {
    const reply = this.waitFor(['stats'], 10_000);
    this.send({ type: 'get-stats' });
    const m = await reply;
    if (m.type !== 'stats') throw new Error('unexpected reply');
    return m.stats;
  }

  /** Ends the child at once (on Ctrl-C, while the load may still be running). */
  async kill(): Promise<void> {
    if (this.hasExited) return;
    this.proc.kill('SIGKILL');
    await this.exited;
  }

  /** Asks the child to close and exit (its pool closed cleanly); kills it after 15 s. */
  async stop(): Promise<void> {
    if (this.hasExited) return;
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Compiles the servers under test (the app and the baseline, tsconfig.bench.json, into dist/;
 * incremental) so that every run measures the sources as they are now.
 */
export function compileServers(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.bench.json')], { cwd: ROOT, stdio: 'inherit' });
}
