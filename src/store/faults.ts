/**
 * What kind of storage failure an error is, whichever database or layer raised it. `full` means
 * writes cannot succeed until an operator frees space; reads usually still work.
 */
export type StorageFault = 'full' | 'unavailable';

/** Classifies a driver or file-system error code; one case per code, so adding one is one line. */
function faultOfCode(code: string): StorageFault | null {
  // SQLite reports ENOSPC as SQLITE_FULL where it can, but a short write, a failed fsync or a
  // growing shared-memory file on a full disk surface as extended I/O errors instead.
  if (code.startsWith('SQLITE_IOERR')) return 'full';
  switch (code) {
    case 'SQLITE_FULL':
    case 'ENOSPC':
    case 'EDQUOT': // over the disk quota: the same remedy as a full disk
    case '53100': // PostgreSQL disk_full
      return 'full';
    // The database cannot answer now but will again: a restart, a terminated session, a
    // connection that broke or timed out, a server still starting, a busy SQLite file.
    case '57P01': // admin_shutdown
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now
    case '57014': // query_canceled (statement_timeout)
    case '53300': // too_many_connections
    case '08000':
    case '08001':
    case '08003':
    case '08004':
    case '08006':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'unavailable';
    default:
      return null;
  }
}

/** pg reports a lost or timed-out connection by message only, with no code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'not queryable',
  'Client was closed and is not queryable',
  'Connection ended unexpectedly',
];

/**
 * The storage fault behind `err`, or null for any other error. Follows `cause` a few steps, since
 * a library may wrap the driver's error in its own.
 */
export function storageFault(err: unknown): StorageFault | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    const fault = typeof code === 'string' ? faultOfCode(code) : null;
    if (fault) return fault;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return 'unavailable';
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
