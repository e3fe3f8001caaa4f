import { bootConfig } from './config/boot-config';
import { sandboxSecret } from './config/sandbox-secret';
import { SqliteFolderMissingError } from './db/data-source';
import { log } from './log';
import { Sandbox, SandboxAttachResult, startSandbox } from './sandbox/sandbox.module';
import { startServer } from './server';

/**
 * `npm start`: reads the configuration (stopping with one line per problem), migrates the
 * database, serves HTTP and runs the schedules until SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const booted = bootConfig();
  // Sandbox mode needs no WEBHOOK_SECRET; one kept in ./data keeps the sandbox's links valid
  // across restarts.
  const config = booted.sandbox && !booted.webhookSecret ? { ...booted, webhookSecret: sandboxSecret() } : booted;

  let running;
  let sandbox: Sandbox | null = null;
  let attached: SandboxAttachResult | null = null;
  try {
    // No WeCom/DingTalk credentials: the chat sandbox stands in for them (CONTRACT.md).
    sandbox = config.sandbox ? await startSandbox({ log }) : null;
    running = await startServer(
      config,
      sandbox ? { channels: sandbox.channels, wecomCallback: sandbox.wecomCallback, routers: sandbox.routers } : {},
    );
    attached = sandbox ? await sandbox.attach(running) : null;
  } catch (err) {
    process.stderr.write(`start failed: ${describeStartError(err, config.db.label)}\n`);
    process.exit(1);
  }

  const base = config.publicBaseUrl;
  process.stdout.write(`Huifang is running on ${config.db.label} — open ${base}/healthz\n`);
  if (config.sandbox) {
    const api = config.adminToken ? '/api needs ADMIN_TOKEN' : '/api needs no token here';
    process.stdout.write(`Sandbox mode (no WeCom/DingTalk credentials): open ${base}/sandbox — ${api}.\n`);
    const seeded = attached?.seeded;
    if (seeded) {
      process.stdout.write(`Demo office seeded: ${seeded.staff} staff, ${seeded.residents} residents, ${seeded.workOrders} work orders of the past week.\n`);
    }
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    sandbox?.detach();
    await running.close();
    await sandbox?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** A one-line reason without secrets: the database URL may carry a password. */
function describeStartError(err: unknown, db: string): string {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'EADDRINUSE') return `the port is already in use (set PORT)`;
  if (e?.code === 'ECONNREFUSED') return `cannot reach the ${db} database named by DB_URL (connection refused)`;
  if (e?.code === 'ER_ACCESS_DENIED_ERROR') return `the ${db} database refused the user or password in DB_URL`;
  if (e?.code === 'ER_BAD_DB_ERROR') return `the database named in DB_URL does not exist; create it first`;
  if (e?.code === 'ENOTFOUND') return `the database host in DB_URL cannot be resolved`;
  if (err instanceof SqliteFolderMissingError) return err.message;
  return `${e?.code ?? 'error'}: ${(e?.message ?? String(err)).replace(/mysql:\/\/[^@\s]*@/g, 'mysql://***@')}`;
}

void main();
