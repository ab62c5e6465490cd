// CLI entry (bundled to build/emulator/main.mjs): flags → start → exactly one JSON line on stdout,
// logs on stderr, serve until SIGTERM/SIGINT (or stdin closing, with --exit-on-stdin-close).
import { resolve } from 'node:path';
import { parseCli, USAGE } from './cli-options.js';
import { createLogger } from './common/logger.js';
import { startEmulator } from './server.js';
import type { StartInfo } from './start-info.js';

async function main(): Promise<void> {
  let options;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`kv-emulator: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const logger = createLogger({ quiet: options.quiet });
  // Nothing a client sends should take the emulator down; log anything that slips through and keep serving.
  process.on('uncaughtException', (err) => logger.error(`uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => logger.error(`unhandled rejection: ${String(err)}`));

  const emulator = await startEmulator({
    port: options.port,
    vaults: options.vaults,
    workspaces: options.workspaces,
    hubs: options.hubs,
    projects: options.projects,
    computes: options.computes,
    onlineEndpoints: options.onlineEndpoints,
    workspaceIdentities: options.workspaceIdentities,
    groups: options.groups,
    userIdentities: options.userIdentities,
    ...(options.armRole ? { armRole: options.armRole } : {}),
    cloud: options.cloud,
    ...(options.certDir !== undefined ? { certDir: resolve(options.certDir) } : {}),
    settings: options.settings,
    logger,
  });

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`stopping (${why})`);
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Under `npm run`, npm forwards SIGTERM/SIGINT to its `sh -c "build && node …"` child, and sh dies
  // without passing the signal on: we would be orphaned and keep serving. So when npm started us and
  // our parent shell goes away, stop. (Launched directly, a dying parent shell does not stop us: a
  // pipeline may start the emulator in the background in one step and use it in the next.)
  if (process.env.npm_lifecycle_event === 'emulator') {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop('parent process exited');
    }, 250).unref();
  }
  if (options.exitOnStdinClose) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('close', () => stop('stdin closed'));
    process.stdin.resume();
  }

  process.stdout.write(options.shell ? shellExports(emulator.info) : `${JSON.stringify(emulator.info)}\n`);
  const { info } = emulator;
  logger.info(
    `ready: ${Object.entries(info.vaults)
      .map(([n, u]) => `${n}=${u}`)
      .join(' ')} admin=${info.adminUrl} authority=${info.authorityHost} arm=${info.armUrl} cloud=${info.cloud}`,
  );
}

/** `export NAME='value'` lines: the client env, plus the variables aml-vault-push's CLI reads for its endpoints
 *  (AML_VAULT_PUSH_RESOURCE_MANAGER_ENDPOINT, AZURE_AUTHORITY_HOST) and the emulated subscription. */
function shellExports(info: StartInfo): string {
  const vars = {
    ...info.env,
    AML_VAULT_PUSH_RESOURCE_MANAGER_ENDPOINT: info.armUrl,
    AZURE_AUTHORITY_HOST: info.authorityHost,
    AZURE_SUBSCRIPTION_ID: info.subscriptionId,
  };
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  return Object.entries(vars)
    .map(([k, v]) => `export ${k}=${quote(v)}\n`)
    .join('');
}

main().catch((err: unknown) => {
  process.stderr.write(`kv-emulator: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
