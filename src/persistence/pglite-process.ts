// Weave's side of the embedded database: starts PGlite in a process of its own (pglite-host.ts) and
// talks to it with the part of PGlite's interface Weave and the Prisma adapter use (query, exec,
// transaction with rollback, close). Values come back as PostgreSQL's text and are parsed here, with
// the caller's parsers where it gave any (Prisma's adapter does) and PGlite's own otherwise.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { messages, type QueryOptions, type Results, types } from '@electric-sql/pglite';
import type { Logger } from '../observability/logger.ts';
import type { HostMessage, HostRequest, WireError, WireResult } from './pglite-wire.ts';

/** How long the host may take to open (and, on a first start, create) the database. */
const START_TIMEOUT_MS = 120_000;
/** How long a closing host may take before it is killed. */
const CLOSE_TIMEOUT_MS = 15_000;

type Parsers = NonNullable<QueryOptions['parsers']>;

/** Statements inside one transaction of the hosted database. */
export interface HostedTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Array<Results>>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

/** The hosted database, shaped as much of PGlite as Weave and pglite-prisma-adapter call. */
export interface HostedPglite {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Array<Results>>;
  transaction<T>(fn: (tx: HostedTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly closed: boolean;
  /** The host's process id (benchmarks read its memory). */
  readonly pid: number | undefined;
}

/** An error from the host as the caller expects it: PGlite's DatabaseError with PostgreSQL's fields. */
function toError(wire: WireError): Error {
  const error = wire.database
    ? new messages.DatabaseError(wire.message, 0, 'error')
    : new Error(wire.message);
  for (const [key, value] of Object.entries(wire.fields)) {
    if (key !== 'message' && key !== 'stack') (error as unknown as Record<string, unknown>)[key] = value;
  }
  return error;
}

/** Types PGlite parses by default: the host leaves them as text. */
const DEFAULT_PARSED = new Set(Object.keys(types.parsers).map(Number));

function parsed<T>(wire: WireResult, options: QueryOptions | undefined): Results<T> {
  const custom = options?.parsers as Parsers | undefined;
  // Text for the caller's types and PGlite's default ones; anything else (arrays of other types) came
  // parsed by the host, as PGlite parses it.
  const parse = (value: unknown, oid: number): unknown =>
    value === null
      ? null
      : custom?.[oid] || DEFAULT_PARSED.has(oid)
        ? types.parseType(value as string, oid, custom)
        : value;
  const { fields } = wire;
  const rows =
    options?.rowMode === 'array'
      ? (wire.rows as unknown[][]).map((row) => row.map((v, i) => parse(v, fields[i]?.dataTypeID ?? 0)))
      : (wire.rows as Array<Record<string, unknown>>).map((row) => {
          const out: Record<string, unknown> = {};
          for (const f of fields) out[f.name] = parse(row[f.name] ?? null, f.dataTypeID);
          return out;
        });
  return {
    rows: rows as T[],
    fields,
    ...(wire.affectedRows !== undefined ? { affectedRows: wire.affectedRows } : {}),
  };
}

/** The types a caller's parsers cover (Prisma's adapter passes the same object to every query). */
const rawTypesOf = new WeakMap<Parsers, number[]>();
function rawTypes(parsers: Parsers): number[] {
  let oids = rawTypesOf.get(parsers);
  if (!oids) {
    oids = Object.keys(parsers).map(Number);
    rawTypesOf.set(parsers, oids);
  }
  return oids;
}

/** The host module beside this one: TypeScript under tsx and vitest, JavaScript once compiled. */
function hostEntry(): { path: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    return { path: fileURLToPath(new URL('./pglite-host.ts', here)), execArgv: ['--import', 'tsx'] };
  return { path: fileURLToPath(new URL('./pglite-host.js', here)), execArgv: [] };
}

/** Starts the embedded database's process on `dataDir` and waits until it answers. */
export async function startPgliteHost(dataDir: string, log: Logger): Promise<HostedPglite> {
  const entry = hostEntry();
  const child: ChildProcess = fork(entry.path, [dataDir], {
    execArgv: entry.execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const transactions = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let nextTx = 1;
  let closed = false;
  let exited = false;

  const gone = (why: string): void => {
    closed = true;
    const error = new Error(`the embedded database process ${why}`);
    for (const p of pending.values()) p.reject(error);
    for (const t of transactions.values()) t.reject(error);
    pending.clear();
    transactions.clear();
  };

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the embedded database did not open within ${START_TIMEOUT_MS / 1000} s`));
      child.kill('SIGKILL');
    }, START_TIMEOUT_MS);
    child.on('message', (message: HostMessage) => {
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (message.kind === 'reply') {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) p?.resolve(message.result);
        else p?.reject(toError(message.error));
      } else {
        const t = transactions.get(message.txId);
        transactions.delete(message.txId);
        if (message.ok) t?.resolve();
        else t?.reject(toError(message.error));
      }
    });
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const why = `exited (${signal ?? `code ${code}`})`;
      if (!closed) log.error({ code, signal }, `embedded database process ${why}`);
      gone(why);
      reject(new Error(`the embedded database process ${why} while opening ${dataDir}`));
    });
  });

  /** A request without its id (distributes over the union, so each op keeps its own fields). */
  type Unnumbered = HostRequest extends infer R ? (R extends HostRequest ? Omit<R, 'id'> : never) : never;
  const request = (req: Unnumbered): Promise<unknown> => {
    if (closed) return Promise.reject(new Error('the embedded database is closed'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      try {
        child.send({ ...req, id } as HostRequest);
      } catch (error) {
        pending.delete(id);
        reject(error as Error);
      }
    });
  };

  const queryOn =
    (txId?: number) =>
    async <T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> => {
      const wire = (await request({
        op: 'query',
        sql,
        ...(params ? { params } : {}),
        ...(txId ? { txId } : {}),
        rowMode: options?.rowMode ?? 'object',
        ...(options?.parsers ? { raw: rawTypes(options.parsers as Parsers) } : {}),
      })) as WireResult;
      return parsed<T>(wire, options);
    };
  const execOn = (txId?: number) => async (sql: string) => {
    await request({ op: 'exec', sql, ...(txId ? { txId } : {}) });
    return [] as Array<Results>;
  };

  await ready;
  return {
    query: queryOn(),
    exec: execOn(),
    async transaction<T>(fn: (tx: HostedTransaction) => Promise<T>): Promise<T> {
      const txId = nextTx++;
      const done = new Promise<void>((resolve, reject) => transactions.set(txId, { resolve, reject }));
      // The statements follow the begin at once (the host holds them until the transaction opens): one
      // round trip fewer per transaction. A begin that fails fails them, and ends the transaction.
      const begun = request({ op: 'begin', txId });
      begun.catch(() => {});
      done.catch(() => {});
      let rolledBack = false;
      const tx: HostedTransaction = {
        query: queryOn(txId),
        exec: execOn(txId),
        rollback() {
          rolledBack = true;
          // Prisma's adapter does not wait for a rollback: its failure (the host gone) must not become an
          // unhandled rejection that ends Weave's process. A caller that waits still sees it.
          const rollback = request({ op: 'rollback', txId }).then(() => undefined);
          rollback.catch(() => {});
          return rollback;
        },
        get closed() {
          return rolledBack || closed;
        },
      };
      // As PGlite does, the callback runs after transaction() has returned its promise (Prisma's adapter
      // reads that promise from inside the callback).
      await Promise.resolve();
      let value: T;
      try {
        value = await fn(tx);
        await begun;
      } catch (error) {
        // As PGlite does: a callback that throws rolls the transaction back.
        if (!rolledBack && !closed) await request({ op: 'rollback', txId }).catch(() => {});
        await request({ op: 'end', txId }).catch(() => {});
        await done.catch(() => {});
        throw error;
      }
      await request({ op: 'end', txId });
      await done;
      return value;
    },
    async close() {
      if (exited) return;
      closed = true;
      const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ op: 'close', id: 0 } satisfies HostRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    },
    get closed() {
      return closed;
    },
    get pid() {
      return child.pid;
    },
  };
}
