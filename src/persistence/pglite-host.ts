// The embedded database's own process: PGlite (PostgreSQL compiled to WebAssembly) runs here, started by
// Weave (pglite-process.ts) and answering its queries over the IPC channel. PGlite executes each query
// synchronously on the thread that calls it; in Weave's process that thread also acknowledges Slack and
// paces deliveries, and PGlite's WebAssembly heap (~150 MB at rest) counted in Weave's memory. Here it
// has a core and a heap of its own.
//
// Values cross the channel raw (the text PostgreSQL sent); the caller parses them with its own parsers,
// which are functions and cannot cross. When Weave's process goes (even killed), the channel closes and
// this process closes the database cleanly and exits; a lock file beside the data directory makes a
// restarted Weave's host wait for the old one to let go.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { messages, PGlite, type Transaction, types } from '@electric-sql/pglite';
import {
  type HostMessage,
  type HostRequest,
  pgliteStartParams,
  type WireError,
  type WireResult,
} from './pglite-wire.ts';

/** How long a new host waits for a previous one to close the same data directory. */
const LOCK_WAIT_MS = 20_000;

const [dataDir] = process.argv.slice(2);
if (!dataDir || !process.send) {
  process.stderr.write('pglite-host: started without a data directory or an IPC channel\n');
  process.exit(2);
}
const send = (message: HostMessage): void => {
  if (process.connected) process.send?.(message);
};

type Parsers = Record<number, (value: string) => string>;
const asText = (value: string) => value;
/** Every type PGlite parses by default, left as text: Weave's process parses with its own parsers. */
const RAW: Parsers = Object.fromEntries(Object.keys(types.parsers).map((oid) => [oid, asText]));
/** RAW plus the types a caller parses itself (the same few lists come again and again). */
const rawFor = new Map<string, Parsers>();
function parsersLeaving(raw: number[] | undefined): Parsers {
  if (!raw || raw.length === 0) return RAW;
  const key = raw.join(',');
  let parsers = rawFor.get(key);
  if (!parsers) {
    parsers = { ...RAW, ...Object.fromEntries(raw.map((oid) => [oid, asText])) };
    rawFor.set(key, parsers);
  }
  return parsers;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock file holding this pid; a file left by a process that is gone is taken over. */
async function takeLock(file: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Gone meanwhile: try again. Empty: its creator has not written its pid yet, so it counts as held.
    let holder = 0;
    try {
      holder = Number(readFileSync(file, 'utf8').trim());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (holder && !isAlive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`the embedded database at ${dataDir} is still open in process ${holder}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function wireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { message: String(error), database: false, fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { message: error.message, database: error instanceof messages.DatabaseError, fields };
}

const lockFile = `${dataDir.replace(/\/+$/, '')}.lock`;
await takeLock(lockFile);

const db = new PGlite(dataDir, {
  startParams: pgliteStartParams(PGlite.defaultStartParams),
});
await db.waitReady;

/**
 * Transactions by id. Weave sends a transaction's statements right after its begin, without waiting:
 * they queue on `chain` (first behind the opening) and run one after another in the order they came.
 * Prisma's adapter sends a rollback without waiting for it and then ends the transaction: the end must
 * follow the rollback.
 */
interface OpenTransaction {
  ready: Promise<Transaction>;
  /** Lets PGlite's callback return: the transaction commits, unless it was rolled back. */
  release: () => void;
  chain: Promise<unknown>;
}
const open = new Map<number, OpenTransaction>();
let closing = false;

async function close(code: number): Promise<never> {
  if (!closing) {
    closing = true;
    for (const t of open.values()) t.ready.then(t.release, () => {});
    try {
      if (!db.closed) await db.close();
    } finally {
      rmSync(lockFile, { force: true });
    }
  }
  process.exit(code);
}

/** Opens transaction txId: PGlite's callback holds the connection until Weave ends or rolls it back. */
function begin(txId: number, id: number): void {
  let started = false;
  const t = { release: () => {} } as OpenTransaction;
  t.ready = new Promise<Transaction>((opened, failed) => {
    db.transaction(
      (tx) =>
        new Promise<void>((resolve) => {
          t.release = resolve;
          started = true;
          opened(tx);
          send({ kind: 'reply', id, ok: true, result: null });
        }),
    ).then(
      () => send({ kind: 'done', txId, ok: true }),
      (error: unknown) => {
        open.delete(txId);
        const wire = wireError(error);
        // Failing to start answers the begin too; either way the transaction is over.
        if (!started) {
          failed(error);
          send({ kind: 'reply', id, ok: false, error: wire });
        }
        send({ kind: 'done', txId, ok: false, error: wire });
      },
    );
  });
  t.chain = t.ready.catch(() => {});
  open.set(txId, t);
}

/** Runs a statement of transaction txId after the ones before it. */
function inTransaction<R>(
  txId: number,
  run: (tx: Transaction, t: OpenTransaction) => Promise<R>,
): Promise<R> {
  const t = open.get(txId);
  if (!t) return Promise.reject(new Error('transaction is no longer open'));
  const result = t.chain.then(async () => run(await t.ready, t));
  t.chain = result.catch(() => {});
  return result;
}

async function query(
  on: Transaction | PGlite,
  req: Extract<HostRequest, { op: 'query' }>,
): Promise<WireResult> {
  const r = await on.query(req.sql, req.params, {
    rowMode: req.rowMode ?? 'object',
    parsers: parsersLeaving(req.raw),
  });
  const result: WireResult = { rows: r.rows, fields: r.fields };
  if (r.affectedRows !== undefined) result.affectedRows = r.affectedRows;
  return result;
}

function handle(req: HostRequest): Promise<unknown> {
  switch (req.op) {
    case 'query':
      return req.txId ? inTransaction(req.txId, (tx) => query(tx, req)) : query(db, req);
    case 'exec':
      // Nothing of an exec's results is used: none cross.
      return (req.txId ? inTransaction(req.txId, (tx) => tx.exec(req.sql)) : db.exec(req.sql)).then(
        () => null,
      );
    case 'rollback':
      return inTransaction(req.txId, async (tx) => {
        if (!tx.closed) await tx.rollback();
      });
    case 'end':
      return inTransaction(req.txId, async (_tx, t) => {
        open.delete(req.txId);
        t.release();
      });
    default:
      return Promise.reject(new Error(`unknown request ${req.op}`));
  }
}

process.on('message', (req: HostRequest) => {
  if (req.op === 'begin') {
    begin(req.txId, req.id);
    return;
  }
  if (req.op === 'close') {
    void close(0);
    return;
  }
  handle(req).then(
    (result) => send({ kind: 'reply', id: req.id, ok: true, result }),
    (error: unknown) => send({ kind: 'reply', id: req.id, ok: false, error: wireError(error) }),
  );
});
// Weave's process is gone (exited, crashed or killed): close the database and go too.
process.on('disconnect', () => void close(0));
process.on('SIGTERM', () => void close(0));
process.on('SIGINT', () => void close(0));
send({ kind: 'ready' });
