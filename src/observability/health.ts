import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HealthRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** `/healthz` (process up) and `/readyz` (database reachable; 503 otherwise, or while shutting down). */
export function healthRoutes(check: {
  dbReachable: () => Promise<boolean>;
  stopping: () => boolean;
}): HealthRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req, res) => {
        if (check.stopping()) return sendJson(res, 503, { status: 'stopping' });
        const db = await check.dbReachable();
        sendJson(res, db ? 200 : 503, { status: db ? 'ready' : 'database unreachable', database: db });
      },
    },
  ];
}

/**
 * A check whose answer is reused for `ttlMs` (callers at the same moment share one probe), for paths hot
 * enough that probing on every request would cost a database round trip each.
 */
export function cachedCheck(probe: () => Promise<boolean>, ttlMs: number): () => Promise<boolean> {
  let last: { at: number; value: boolean } | null = null;
  let pending: Promise<boolean> | null = null;
  return () => {
    if (last && Date.now() - last.at < ttlMs) return Promise.resolve(last.value);
    pending ??= probe()
      .catch(() => false)
      .then((value) => {
        last = { at: Date.now(), value };
        pending = null;
        return value;
      });
    return pending;
  };
}
