import { bootConfig } from './config/boot-config';
import { sandboxSecret } from './config/sandbox-secret';
import { log } from './log';
import { Sandbox, SandboxAttachResult, startSandbox } from './sandbox/sandbox.module';
import { startServer } from './server';
import { describeStartError } from './start-error';

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
    // No WeCom/DingTalk credentials: the chat sandbox stands in for them (docs/api.md).
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

void main();
