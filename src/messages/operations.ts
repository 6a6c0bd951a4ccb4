/** What `parley backup`, `parley restore` and `parley users` print (issue 13). */
const n = (x: number) => x.toLocaleString('en');

export const operations = {
  postgresBackup: (command: 'backup' | 'restore') =>
    command === 'backup'
      ? 'parley backup copies a SQLite database. For PostgreSQL use its own tools, which copy a consistent snapshot while Parley runs:\n  pg_dump --format=custom --file=parley.dump "$DATABASE_URL"\n(see "Backups" in README.md).'
      : 'parley restore writes a SQLite database. For PostgreSQL restore a pg_dump file with pg_restore into an empty database:\n  pg_restore --no-owner --dbname="$DATABASE_URL" parley.dump\n(see "Backups" in README.md).',
  memoryDatabase: 'DATABASE_URL is :memory:; there is no file to back up or restore.',
  noDatabase: (file: string) => `There is no database at ${file} (check DATABASE_URL).`,
  noDirectory: (dir: string) => `The folder ${dir} does not exist.`,
  noBackup: (file: string) => `There is no backup at ${file}.`,
  sameFile: 'The backup file and the database are the same file.',
  backupCorrupt: (detail: string) => `The copy failed SQLite's integrity check: ${detail}`,
  notABackup: (file: string, why: string) => `${file} is not a Parley SQLite backup: ${why}`,
  targetNotEmpty: (file: string) =>
    `The database at ${file} is not empty (it has users, articles or comments). Stop Parley and run again with --force to replace it.`,
  backedUp: (r: { file: string; bytes: number; counts: { articles: number; comments: number; users: number }; seconds: number }) =>
    `Backed up ${n(r.counts.articles)} articles, ${n(r.counts.comments)} comments and ${n(r.counts.users)} users to ${r.file} (${n(Math.ceil(r.bytes / 1024))} KiB, integrity ok) in ${r.seconds.toFixed(1)} s.`,
  restored: (r: { target: string; counts: { articles: number; comments: number; users: number }; migrated: string[]; seconds: number }) =>
    `Restored ${n(r.counts.articles)} articles, ${n(r.counts.comments)} comments and ${n(r.counts.users)} users into ${r.target} in ${r.seconds.toFixed(1)} s${r.migrated.length ? `; schema brought up to date (${r.migrated.join(', ')})` : ''}.`,
  // parley users
  usersNeedEmail: 'users grant|revoke|role needs at least one email address (or --csv FILE)',
  badEmail: (email: string, where: string) => `not an email address${where}: ${email}`,
  badRole: 'users role EMAIL... needs a role last: reader, moderator or admin',
  badUntil: '--until must be a date like 2027-01-31',
  csvNoEmail: (file: string) => `${file} has no email column (name a column "email", or put one address on each line)`,
  unknownUsersAction: (action: string) => `unknown users action: ${action}`,
  granted: (email: string, until: string | undefined) => `${email} is a subscriber${until ? ` until ${until}` : ''}.`,
  revoked: (email: string) => `${email} is no longer a manual subscriber.`,
  roleSet: (email: string, role: string) => `${email} is now ${role === 'admin' ? 'an' : 'a'} ${role}.`,
  failed: (email: string, why: string) => `${email}: ${why}`,
  usersSummary: (done: number, failed: number, seconds: number) => `${n(done)} done${failed ? `, ${n(failed)} failed` : ''} in ${seconds.toFixed(1)} s.`,
  // the command line itself (src/cli.ts)
  usage: `Usage: parley <command>

  serve                         start the server (runs migrations, loads CONTENT_DIR)
  demo [--no-serve]             create the demo publication, then serve it
  migrate                       bring the database schema up to date
  users grant EMAIL... [--csv FILE] [--until YYYY-MM-DD]   make each EMAIL a subscriber (manually)
  users revoke EMAIL... [--csv FILE]   end their manual subscriptions
  users role EMAIL... reader|moderator|admin   set their role (creates accounts that are new)
  import disqus|wordpress FILE.xml   import comments from a Disqus or WordPress (WXR) export
  import parley FILE            restore a Parley export into an empty database
  export --format json FILE     write every article, user, comment, vote and follow as NDJSON
  backup FILE                   copy the SQLite database to FILE while the server runs
  restore FILE [--force]        put a backup in place of the SQLite database (stop the server first)

Configuration comes from environment variables; see README.md.`,
  migrated: (names: string) => `Applied: ${names}`,
  upToDate: 'Schema is up to date.',
  backupNeedsFile: 'backup needs one file to write',
  restoreNeedsFile: 'restore needs one backup file to read',
  importNeedsFile: 'import needs a kind (disqus, wordpress or parley) and one file',
  exportNeedsFile: 'export needs one file to write',
  unknownCommand: (cmd: string) => `unknown command: ${cmd}`,
};
