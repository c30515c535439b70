/**
 * A TCP proxy for fault tests: sits between the app and a server (PostgreSQL, the fake Slack) and can
 * make that server look down (connections refused, open ones cut) or cut single HTTP requests, without
 * touching the server itself (other tests share it).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

/** What happens to an HTTP request picked by `cutRequests`. */
export type CutMode =
  /** The connection is reset before the request is passed on: it never reaches the server. */
  | 'reset'
  /** The request reaches the server (which acts on it), then the connection drops before the answer. */
  | 'lose-answer';

export interface TcpProxy {
  /** The port the app should connect to (the same one after `up()`). */
  readonly port: number;
  /** Stops listening (new connections are refused) and cuts every open connection. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /**
   * Cuts the next `times` HTTP requests whose path matches (`/api/chat.postMessage`, …), as `mode` says.
   * Requests are recognised by their request line at the start of a chunk from the client.
   */
  cutRequests(path: RegExp, mode: CutMode, times?: number): void;
  /** Requests cut so far. */
  readonly cut: number;
  close(): Promise<void>;
}

const REQUEST_LINE = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/;

/**
 * Starts a proxy on 127.0.0.1 (a free port unless `port` is given). `target` is read per connection and
 * may be a promise, so the proxy's port can go into the app's configuration before the target exists;
 * connections wait for it.
 */
export async function startTcpProxy(
  target: ProxyTarget | (() => ProxyTarget | Promise<ProxyTarget>),
  port = 0,
): Promise<TcpProxy> {
  const resolveTarget = typeof target === 'function' ? target : () => target;
  const sockets = new Set<Socket>();
  const cuts: Array<{ path: RegExp; mode: CutMode; remaining: number }> = [];
  let cutCount = 0;
  let server: Server | null = null;
  let boundPort = port;

  function takeCut(path: string): CutMode | null {
    const i = cuts.findIndex((c) => c.path.test(path));
    const c = cuts[i];
    if (!c) return null;
    c.remaining -= 1;
    if (c.remaining <= 0) cuts.splice(i, 1);
    cutCount += 1;
    return c.mode;
  }

  async function handle(client: Socket): Promise<void> {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    // Until a 'data' listener is attached the client's bytes wait in its buffer.
    const { host, port: targetPort } = await resolveTarget();
    if (client.destroyed) return;
    const upstream = createConnection({ host, port: targetPort });
    sockets.add(upstream);
    // The answer to the request being cut by 'lose-answer' must not reach the client.
    let loseNextAnswer = false;
    const cutBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      const line = REQUEST_LINE.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 2048)));
      const mode = line?.[1] ? takeCut(line[1]) : null;
      if (mode === 'reset') return cutBoth();
      if (mode === 'lose-answer') loseNextAnswer = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (loseNextAnswer) return cutBoth();
      client.write(chunk);
    });
    // Either side ending or failing ends the pair; errors are expected here (that is the point).
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('end', () => b.end());
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  }

  async function listen(): Promise<void> {
    const s = createServer((client) => void handle(client));
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(boundPort, '127.0.0.1', () => resolve());
    });
    const address = s.address();
    boundPort = typeof address === 'object' && address ? address.port : boundPort;
    server = s;
  }

  async function down(): Promise<void> {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await listen();
  return {
    get port() {
      return boundPort;
    },
    get cut() {
      return cutCount;
    },
    down,
    async up() {
      if (!server) await listen();
    },
    cutRequests(path, mode, times = 1) {
      cuts.push({ path, mode, remaining: times });
    },
    close: down,
  };
}
