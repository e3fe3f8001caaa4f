import type { RunningServer } from '../server';

/**
 * What the sandbox needs of the running app, handed over once it listens (`Sandbox.attach`):
 * where it answers (for signed webhooks and encrypted callbacks sent to ourselves over HTTP),
 * its database and webhook secret, its job runner and dispatcher for "run the due jobs now", and
 * its signed links (a visit's survey link to copy).
 */
export type SandboxHost = Pick<RunningServer, 'url' | 'dataSource' | 'webhookSecret' | 'jobs' | 'dispatcher' | 'settled' | 'config' | 'links'>;
