import { DataSource } from 'typeorm';
import { ManualClock } from '../support/manual-clock';
import { Config, loadConfig } from '../../src/config/config';
import { Sandbox, SandboxAttachResult, startSandbox } from '../../src/sandbox/sandbox.module';
import { RunningServer, startServer } from '../../src/server';
import { openTestDatabase } from '../support/database';

export interface SandboxApp {
  clock: ManualClock;
  db: DataSource;
  sandbox: Sandbox;
  server: RunningServer;
  attached: SandboxAttachResult;
  /** Calls the app over HTTP; in sandbox mode `/api` needs no token (unless `env` set ADMIN_TOKEN: then it sends it). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Stops app and sandbox; `keepDb` leaves the data source open for a restart. */
  close(options?: { keepDb?: boolean }): Promise<void>;
}

/**
 * The app in sandbox mode, composed the way `npm start` composes it when no WeCom/DingTalk
 * credentials are configured: an empty environment (no admin token, no webhook secret; `env`
 * adds to it), the sandbox's channel, callback keys and routes, then `attach` once it listens.
 */
export async function startSandboxApp(options: { clock: ManualClock; db?: DataSource; seed?: 'first-start' | 'never'; env?: Record<string, string> }): Promise<SandboxApp> {
  const { clock } = options;
  const db = options.db ?? (await openTestDatabase());
  const config: Config = { ...loadConfig({ ...options.env }), port: 0 };
  const token = options.env?.ADMIN_TOKEN;
  const sandbox = await startSandbox({ clock });
  const server = await startServer(config, {
    clock,
    dataSource: db,
    schedules: false,
    channels: sandbox.channels,
    wecomCallback: sandbox.wecomCallback,
    routers: sandbox.routers,
  });
  const attached = await sandbox.attach(server, { seed: options.seed });
  return {
    clock,
    db,
    sandbox,
    server,
    attached,
    async call(method, path, body) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed as any };
    },
    async close(closeOptions = {}) {
      sandbox.detach();
      await server.close();
      await sandbox.close();
      if (!closeOptions.keepDb) await db.destroy();
    },
  };
}
