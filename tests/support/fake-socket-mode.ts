import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FakeSlack } from './fake-slack.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One accepted Socket Mode connection: send envelopes, read what the app answers. */
export interface SocketModeLink {
  send(message: object): void;
  close(): void;
  /** Resolves with the next message from the app that has this envelope id. */
  ackFor(envelopeId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head =
    len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126 && len < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** Reads complete client frames (always masked) from `buffer`; returns them and the unread rest. */
function readFrames(buffer: Buffer): { frames: Array<{ opcode: number; payload: Buffer }>; rest: Buffer } {
  const frames: Array<{ opcode: number; payload: Buffer }> = [];
  let offset = 0;
  while (buffer.length - offset >= 2) {
    const b0 = buffer[offset] as number;
    const b1 = buffer[offset + 1] as number;
    let len = b1 & 0x7f;
    let pos = offset + 2;
    if (len === 126) {
      if (buffer.length < pos + 2) break;
      len = buffer.readUInt16BE(pos);
      pos += 2;
    } else if (len === 127) {
      if (buffer.length < pos + 8) break;
      len = Number(buffer.readBigUInt64BE(pos));
      pos += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const maskLen = masked ? 4 : 0;
    if (buffer.length < pos + maskLen + len) break;
    const mask = buffer.subarray(pos, pos + maskLen);
    const payload = Buffer.from(buffer.subarray(pos + maskLen, pos + maskLen + len));
    if (masked)
      for (let i = 0; i < payload.length; i += 1)
        payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
    frames.push({ opcode: b0 & 0x0f, payload });
    offset = pos + maskLen + len;
  }
  return { frames, rest: buffer.subarray(offset) };
}

/**
 * Adds Slack's Socket Mode to the fake: `apps.connections.open` hands out a ws:// URL on the fake's own
 * server, which greets with `hello` and then carries envelopes both ways (a minimal RFC 6455 server).
 */
export function enableSocketMode(fake: FakeSlack): Promise<SocketModeLink> {
  fake.setHandler('apps.connections.open', () => ({
    ok: true,
    url: `ws://127.0.0.1:${fake.port}/link/?ticket=fake`,
  }));
  return new Promise((resolve) => {
    fake.onUpgrade((req: IncomingMessage, socket: Duplex) => {
      const key = String(req.headers['sec-websocket-key'] ?? '');
      const accept = createHash('sha1')
        .update(key + GUID)
        .digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      const inbox: Array<Record<string, unknown>> = [];
      const waiters: Array<() => void> = [];
      let pending: Buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
        pending = rest;
        for (const f of frames) {
          if (f.opcode === 0x9) socket.write(frame(0xa, f.payload));
          else if (f.opcode === 0x1) {
            inbox.push(JSON.parse(f.payload.toString('utf8')) as Record<string, unknown>);
            for (const w of waiters.splice(0)) w();
          } else if (f.opcode === 0x8) socket.end();
        }
      });
      socket.on('error', () => undefined);
      const link: SocketModeLink = {
        send: (message) => socket.write(frame(0x1, Buffer.from(JSON.stringify(message)))),
        close: () => socket.destroy(),
        ackFor: (envelopeId, timeoutMs = 5000) =>
          new Promise((ok, fail) => {
            const deadline = setTimeout(() => fail(new Error(`no ack for ${envelopeId}`)), timeoutMs);
            const check = () => {
              const found = inbox.find((m) => m.envelope_id === envelopeId);
              if (found) {
                clearTimeout(deadline);
                ok(found);
              } else waiters.push(check);
            };
            check();
          }),
      };
      link.send({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake' },
        connection_info: { app_id: 'A0WEAVE' },
      });
      resolve(link);
    });
  });
}
