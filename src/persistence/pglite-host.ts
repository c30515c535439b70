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
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { messages, PGlite, type Transaction, types } from '@electric-sql/pglite';
import type { HostMessage, HostRequest, WireError, WireResult } from './pglite-wire.ts';

/** How long a new host waits for a previous one to close the same data directory. */
const LOCK_WAIT_MS = 20_000;

const [dataDir, sharedBuffers] = process.argv.slice(2);
if (!dataDir || !sharedBuffers || !process.send) {
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

async function takeLock(file: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const holder = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
    if (!holder || holder === process.pid || !isAlive(holder)) break;
    if (Date.now() > deadline)
      throw new Error(`the embedded database at ${dataDir} is still open in process ${holder}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  writeFileSync(file, String(process.pid));
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
  startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`],
});
await db.waitReady;

/**
 * Transactions by id. Weave sends a transaction's statements right after its begin, without waiting:
 * they wait here until PGlite opens it (after any transaction already holding the connection).
 */
const open = new Map<number, { ready: Promise<Transaction>; end: () => Promise<void> }>();
let closing = false;

async function close(code: number): Promise<never> {
  if (!closing) {
    closing = true;
    for (const t of open.values()) await t.end().catch(() => {});
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
  let release: () => void = () => {};
  let started = false;
  const ready = new Promise<Transaction>((opened, failed) => {
    db.transaction(
      (tx) =>
        new Promise<void>((resolve) => {
          release = resolve;
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
  ready.catch(() => {});
  open.set(txId, {
    ready,
    end: async () => {
      await ready;
      release();
    },
  });
}

/** The open transaction txId, once PGlite has opened it. */
async function transactionOf(txId: number): Promise<Transaction> {
  const t = open.get(txId);
  if (!t) throw new Error('transaction is no longer open');
  return t.ready;
}

async function handle(req: HostRequest): Promise<unknown> {
  switch (req.op) {
    case 'query': {
      const on = req.txId ? await transactionOf(req.txId) : db;
      const r = await on.query(req.sql, req.params, {
        rowMode: req.rowMode ?? 'object',
        parsers: parsersLeaving(req.raw),
      });
      const result: WireResult = { rows: r.rows, fields: r.fields };
      if (r.affectedRows !== undefined) result.affectedRows = r.affectedRows;
      return result;
    }
    case 'exec': {
      const on = req.txId ? await transactionOf(req.txId) : db;
      await on.exec(req.sql);
      return null;
    }
    case 'rollback': {
      const tx = await transactionOf(req.txId);
      if (!tx.closed) await tx.rollback();
      return null;
    }
    case 'end': {
      const t = open.get(req.txId);
      open.delete(req.txId);
      await t?.end();
      return null;
    }
    default:
      throw new Error(`unknown request ${(req as { op: string }).op}`);
  }
}

/**
 * A transaction's statements run one after another in the order they came (Prisma's adapter sends a
 * rollback without waiting for it and then ends the transaction: the end must follow the rollback).
 */
const inOrder = new Map<number, Promise<unknown>>();
function serialised(req: HostRequest): Promise<unknown> {
  const txId = 'txId' in req ? req.txId : undefined;
  if (txId === undefined) return handle(req);
  const run = (inOrder.get(txId) ?? Promise.resolve()).then(() => handle(req));
  const settled = run.catch(() => {});
  inOrder.set(txId, settled);
  if (req.op === 'end')
    void settled.then(() => {
      if (inOrder.get(txId) === settled) inOrder.delete(txId);
    });
  return run;
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
  serialised(req).then(
    (result) => send({ kind: 'reply', id: req.id, ok: true, result }),
    (error: unknown) => send({ kind: 'reply', id: req.id, ok: false, error: wireError(error) }),
  );
});
// Weave's process is gone (exited, crashed or killed): close the database and go too.
process.on('disconnect', () => void close(0));
process.on('SIGTERM', () => void close(0));
process.on('SIGINT', () => void close(0));
send({ kind: 'ready' });
