import type pg from 'pg';
import type { Logger } from '../observability/logger.ts';

/**
 * Gives back to the pool a connection that died while checked out and that its holder never released.
 *
 * Prisma's driver adapter checks a client out of the pool for each transaction and releases it on commit
 * or rollback. When PostgreSQL goes away mid-transaction, Prisma can abandon the transaction without
 * either, so the dead client stays checked out for good: the pool is one connection smaller after every
 * outage (ten outages and the app stalls), and `pool.end()` at shutdown waits for it forever.
 *
 * Each client checked out through `pool.connect()` (the promise form Prisma uses; `pool.query` releases its
 * own) is watched: once its connection has ended and `graceMs` has passed without a release, it is
 * released with an error, which makes the pool discard it. A later release by the holder is ignored.
 */
export function guardCheckouts(pool: pg.Pool, log: Logger, graceMs = 5000): void {
  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<pg.PoolClient> | undefined;
  const guarded = (callback?: unknown) => {
    if (callback) return connect(callback);
    return (connect() as Promise<pg.PoolClient>).then((client) => watch(client, log, graceMs));
  };
  pool.connect = guarded as typeof pool.connect;
}

function watch(client: pg.PoolClient, log: Logger, graceMs: number): pg.PoolClient {
  const release = client.release;
  let released = false;
  let timer: NodeJS.Timeout | undefined;
  const onEnd = () => {
    timer = setTimeout(() => {
      if (released) return;
      released = true;
      log.warn('a database connection was lost while in use and never given back; discarding it');
      release(new Error('connection lost while checked out'));
    }, graceMs);
    timer.unref();
  };
  client.release = (error?: Error | boolean) => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    client.removeListener('end', onEnd);
    release(error);
  };
  if ((client as unknown as { _ended?: boolean })._ended) onEnd();
  else client.once('end', onEnd);
  return client;
}
