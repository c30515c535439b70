// What Weave's process and the embedded database's process (pglite-host.ts) share: how PGlite is
// started, and what they say to each other over the IPC channel (advanced serialization: dates, bytes
// and bigints cross as they are).

/**
 * PGlite's start parameters wherever it runs. PostgreSQL's default 128 MB of shared buffers live inside
 * PGlite's WebAssembly heap, on top of the operating system's file cache that PGlite's files go through
 * anyway: 16 MB keeps the process ~150 MB lighter (benchmarks: bench:round's peakRssMb).
 */
export function pgliteStartParams(defaults: readonly string[]): string[] {
  return [...defaults, '-c', 'shared_buffers=16MB'];
}

export type HostRequest =
  | {
      op: 'query';
      id: number;
      txId?: number;
      sql: string;
      params?: unknown[];
      rowMode?: 'array' | 'object';
      /** Types the caller parses itself (its own parsers): left as text whatever they are. */
      raw?: number[];
    }
  | { op: 'exec'; id: number; txId?: number; sql: string }
  /** Opens a transaction; statements carrying its txId run in it until `end` (commit) or `rollback`. */
  | { op: 'begin'; id: number; txId: number }
  | { op: 'rollback'; id: number; txId: number }
  | { op: 'end'; id: number; txId: number }
  | { op: 'close'; id: number };

/** An error as it crossed: PostgreSQL's fields (code, constraint, detail…) kept. */
export interface WireError {
  message: string;
  /** A PostgreSQL error (PGlite's DatabaseError), as opposed to a failure of the host itself. */
  database: boolean;
  fields: Record<string, string | number>;
}

export type HostMessage =
  | { kind: 'ready' }
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: WireError }
  /** A transaction ended: committed (ok) or not. */
  | { kind: 'done'; txId: number; ok: true }
  | { kind: 'done'; txId: number; ok: false; error: WireError };

/**
 * A query's result as it crossed: values of the types PGlite parses by default, and of those the caller
 * asked for raw, as PostgreSQL's text (null stays null); arrays of other types parsed as PGlite does.
 */
export interface WireResult {
  rows: unknown[];
  fields: Array<{ name: string; dataTypeID: number }>;
  affectedRows?: number;
}
