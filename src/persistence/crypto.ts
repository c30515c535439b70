import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { DEFAULT_KEY_ID, type EncryptionKey } from '../config/config.ts';

/** Written today: `v2:<key id>:<iv>:<tag>:<body>` (base64 parts), bound to its context (associated data). */
const VERSION = 'v2';
/** Read only: `v1:<iv>:<tag>:<body>` from before key ids and associated data (any configured key). */
const LEGACY_VERSION = 'v1';
/** GCM tag length, fixed: a shorter tag given with a value is refused, never accepted as a truncation. */
const TAG_BYTES = 16;
const IV_BYTES = 12;

/**
 * Authenticated encryption (AES-256-GCM) for secrets at rest, keyed from ENCRYPTION_KEY with HKDF.
 * Each value gets its own random IV and a 16-byte tag; the associated data binds it to what it belongs to
 * (an installation), so a value copied onto another row does not open. Several keys may be configured:
 * new values use the first, values are read with the key whose id they carry (key rotation).
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly current: string;

  constructor(keys: EncryptionKey[] | string) {
    const list = typeof keys === 'string' ? [{ id: DEFAULT_KEY_ID, secret: keys }] : keys;
    const first = list[0];
    if (!first) throw new Error('SecretBox needs at least one key');
    this.current = first.id;
    this.keys = new Map(
      list.map((k) => [k.id, Buffer.from(hkdfSync('sha256', k.secret, 'weave', 'weave/secrets/v1', 32))]),
    );
  }

  /** The id new values are written with. */
  get currentKeyId(): string {
    return this.current;
  }

  /** Encrypts `plain` with the first key, bound to `context` (e.g. the installation key "T:T012"). */
  encrypt(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.current,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  /** Throws when no configured key opens the value, it was changed, or it belongs to another context. */
  decrypt(sealed: string, context: string): string {
    const parts = sealed.split(':');
    if (parts[0] === VERSION && parts.length === 5) {
      const [, keyId, iv, tag, body] = parts as [string, string, string, string, string];
      const key = this.keys.get(keyId);
      if (!key)
        throw new Error(`ENCRYPTION_KEY has no key with id "${keyId}" (the value was written with it)`);
      return open(key, iv, tag, body, context);
    }
    if (parts[0] === LEGACY_VERSION && parts.length === 4) {
      // Before key ids: try every configured key (the first that opens it wins); no associated data.
      const [, iv, tag, body] = parts as [string, string, string, string];
      let failure: unknown = null;
      for (const key of this.keys.values()) {
        try {
          return open(key, iv, tag, body, null);
        } catch (error) {
          failure = error;
        }
      }
      throw new Error('no configured key opens this value', { cause: failure });
    }
    throw new Error('not a Weave-encrypted value');
  }

  /** True when the value is not written with the current key in today's format (rotation rewrites it). */
  isStale(sealed: string): boolean {
    const parts = sealed.split(':');
    return parts[0] !== VERSION || parts[1] !== this.current;
  }
}

function open(key: Buffer, iv: string, tag: string, body: string, context: string | null): string {
  const tagBytes = Buffer.from(tag, 'base64');
  if (tagBytes.length !== TAG_BYTES) throw new Error('authentication tag has the wrong length');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), {
    authTagLength: TAG_BYTES,
  });
  if (context !== null) decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tagBytes);
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}
