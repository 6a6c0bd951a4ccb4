#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, hideCredentials, loadConfig, type Config } from './config.js';
import { AppError } from './domain/errors.js';
import type { Role } from './domain/types.js';
import { messages } from './messages.js';
import './messages/locales/index.js';
import { isLocale } from './messages/locales.js';
import { setDefaultLocale } from './messages/scope.js';
import { BackupRefused } from './services/backup.js';
import type { ImportKind } from './services/import/command.js';
import { connect } from './store/connect.js';
import { migrate } from './store/migrate.js';

const o = messages.operations;

class UsageError extends Error {}

/*
 * Each command loads only the modules it runs: the maintenance commands (users, backup, import...)
 * start in a fraction of the time without Fastify, the renderers, every route and the importers.
 */
const server = () => import('./server.js');
const demoSeed = () => import('./demo/seed.js');
const importer = () => import('./services/import/command.js');
const userAdmin = () => import('./services/user-admin.js');
const backups = () => import('./services/backup.js');

async function serve(config: Config, demo: boolean): Promise<void> {
  const { createParley, tolerateFullStorage } = await server();
  const { seedDemo } = await demoSeed();
  const parley = await createParley(config, { loadContent: true });
  if (demo) {
    const report = await seedDemo(parley).catch(tolerateFullStorage(parley.app.log, 'the demo was not set up'));
    if (report) {
      parley.app.log.info(report.summary);
      process.stdout.write(`\n${report.instructions(config.baseUrl)}\n\n`);
    }
  }
  const log = parley.app.log;
  // A last line of defence: a fault some code path forgot to handle is logged, and the node keeps
  // serving the requests that do work, rather than every reader losing it at once.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, delayMs: config.SHUTDOWN_DELAY_MS, graceMs: config.SHUTDOWN_GRACE_MS }, 'draining');
    parley.readiness.phase = 'draining';
    // Load balancers see /readyz turn 503 and stop sending new readers before the port closes.
    await new Promise((r) => setTimeout(r, config.SHUTDOWN_DELAY_MS));
    try {
      await parley.close();
    } catch (err) {
      log.error({ err }, 'shutdown did not finish cleanly');
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await parley.app.listen({ port: config.PORT, host: config.HOST });
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  // Help and usage errors speak LOCALE too, before the rest of the configuration is read.
  if (isLocale(process.env.LOCALE)) setDefaultLocale(process.env.LOCALE);
  if (!cmd || cmd === 'help' || cmd === '--help') {
    process.stdout.write(`${o.usage}\n`);
    return;
  }
  const config = loadConfig();
  setDefaultLocale(config.LOCALE);
  switch (cmd) {
    case 'serve':
      return serve(config, false);
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { 'no-serve': { type: 'boolean' } } });
      if (values['no-serve']) {
        const [{ createParley }, { seedDemo }] = await Promise.all([server(), demoSeed()]);
        const parley = await createParley(config, { loadContent: true });
        const report = await seedDemo(parley);
        process.stdout.write(`${report.summary}\n${report.instructions(config.baseUrl)}\n`);
        return parley.close();
      }
      return serve(config, true);
    }
    case 'migrate': {
      const conn = connect(config.DATABASE_URL);
      const done = await migrate(conn);
      await conn.close();
      process.stdout.write(`${done.length ? o.migrated(done.join(', ')) : o.upToDate}\n`);
      return;
    }
    case 'users': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { until: { type: 'string' }, csv: { type: 'string' } } });
      const { applyToUsers, EMAIL_PATTERN, readEmailsCsv } = await userAdmin();
      const [action, ...args] = positionals;
      if (action !== 'grant' && action !== 'revoke' && action !== 'role') throw new UsageError(messages.operations.unknownUsersAction(action ?? ''));
      const role = action === 'role' ? args.pop() : undefined;
      if (action === 'role' && role !== 'reader' && role !== 'moderator' && role !== 'admin') throw new UsageError(messages.operations.badRole);
      const bad = args.find((e) => !EMAIL_PATTERN.test(e));
      if (bad) throw new UsageError(messages.operations.badEmail(bad, ''));
      const emails = [...args, ...(values.csv ? readEmailsCsv(values.csv) : [])];
      if (!emails.length) throw new UsageError(messages.operations.usersNeedEmail);
      const until = values.until ? new Date(`${values.until}T23:59:59Z`) : null;
      if (until && Number.isNaN(until.getTime())) throw new UsageError(messages.operations.badUntil);
      const r = await applyToUsers(
        config,
        emails,
        action === 'grant' ? { kind: 'grant', until } : action === 'revoke' ? { kind: 'revoke' } : { kind: 'role', role: role as Role },
      );
      process.stdout.write(`${r.lines.join('\n')}\n${emails.length > 1 ? `${messages.operations.usersSummary(r.done, r.failed, r.seconds)}\n` : ''}`);
      if (r.failed) process.exitCode = 1;
      return;
    }
    case 'backup': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new UsageError(o.backupNeedsFile);
      const { backupSqlite } = await backups();
      process.stdout.write(`${messages.operations.backedUp(await backupSqlite(config.DATABASE_URL, positionals[0]!))}\n`);
      return;
    }
    case 'restore': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { force: { type: 'boolean' } } });
      if (positionals.length !== 1) throw new UsageError(o.restoreNeedsFile);
      const { restoreSqlite } = await backups();
      process.stdout.write(`${messages.operations.restored(await restoreSqlite(config.DATABASE_URL, positionals[0]!, { force: values.force ?? false }))}\n`);
      return;
    }
    case 'import': {
      const { importCommand, IMPORT_KINDS } = await importer();
      const [kind, file, ...extra] = parseArgs({ args: rest, allowPositionals: true, options: {} }).positionals;
      if (!IMPORT_KINDS.includes(kind as ImportKind) || !file || extra.length) throw new UsageError(o.importNeedsFile);
      process.stdout.write(`${await importCommand(config.DATABASE_URL, kind as ImportKind, file, config.MAX_COMMENT_LENGTH)}\n`);
      return;
    }
    case 'export': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string', default: 'json' } } });
      if (values.format !== 'json') throw new UsageError(messages.importer.unknownFormat(values.format ?? ''));
      if (positionals.length !== 1) throw new UsageError(o.exportNeedsFile);
      const { exportCommand } = await importer();
      process.stdout.write(`${await exportCommand(config.DATABASE_URL, positionals[0]!)}\n`);
      return;
    }
    default:
      throw new UsageError(o.unknownCommand(cmd));
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  if (err instanceof BackupRefused || err instanceof AppError) {
    process.stderr.write(`parley: ${err.message}\n`);
    process.exit(1);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`parley: ${err.message}\n\n${o.usage}\n`);
    process.exit(64); // EX_USAGE
  }
  const e = err as { code?: string; message?: string };
  // Driver errors can quote the connection URL they were given, password and all.
  process.stderr.write(`parley: ${e.code ? `[${e.code}] ` : ''}${hideCredentials(e.message ?? String(err))}\n`);
  process.exit(1);
});
