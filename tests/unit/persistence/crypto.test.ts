import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEncryptionKeys } from '../../../src/config/config.ts';
import { SecretBox } from '../../../src/persistence/crypto.ts';

const OLD = 'an-old-encryption-key-0123456789-abcdefgh';
const NEW = 'a-new-encryption-key-0123456789-abcdefghi';
const T1 = 'T:T0ONE';

/** A value in the format Weave wrote before key ids and associated data (`v1:iv:tag:body`). */
function legacyV1(secret: string, plain: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, 'weave', 'weave/secrets/v1', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(
    ':',
  );
}

describe('secrets at rest', () => {
  it('refuses a value whose GCM tag was cut short (the tag length is fixed at 16 bytes)', () => {
    const box = new SecretBox([{ id: 'k1', secret: OLD }]);
    const sealed = box.encrypt('xoxb-secret-token', T1);
    const parts = sealed.split(':');
    expect(Buffer.from(parts[3]!, 'base64')).toHaveLength(16);
    // GCM checks a truncated tag against a truncated computation: 4 bytes would "verify" 1 time in 2³².
    for (const bytes of [4, 8, 12, 15]) {
      const short = [
        ...parts.slice(0, 3),
        Buffer.from(parts[3]!, 'base64').subarray(0, bytes).toString('base64'),
        parts[4],
      ];
      expect(() => box.decrypt(short.join(':'), T1), `${bytes} bytes`).toThrow();
    }
    // The same for the legacy format.
    const legacy = legacyV1(OLD, 'xoxb-secret-token').split(':');
    legacy[2] = Buffer.from(legacy[2]!, 'base64').subarray(0, 4).toString('base64');
    expect(() => box.decrypt(legacy.join(':'), T1)).toThrow();
  });

  it('binds a value to its installation: copied onto another installation it does not open', () => {
    const box = new SecretBox([{ id: 'k1', secret: OLD }]);
    const sealed = box.encrypt('xoxb-team-one', T1);
    expect(box.decrypt(sealed, T1)).toBe('xoxb-team-one');
    expect(() => box.decrypt(sealed, 'T:T0TWO')).toThrow();
    expect(() => box.decrypt(sealed, 'E:T0ONE')).toThrow();
  });

  it('writes with the first key, reads with the key a value names, and still reads the old format', () => {
    const before = new SecretBox([{ id: 'k1', secret: OLD }]);
    const written = before.encrypt('xoxb-1', T1);
    expect(written.startsWith('v2:k1:')).toBe(true);
    const rotated = new SecretBox([
      { id: 'k2', secret: NEW },
      { id: 'k1', secret: OLD },
    ]);
    expect(rotated.decrypt(written, T1)).toBe('xoxb-1');
    expect(rotated.isStale(written)).toBe(true);
    const rewritten = rotated.encrypt('xoxb-1', T1);
    expect(rewritten.startsWith('v2:k2:')).toBe(true);
    expect(rotated.isStale(rewritten)).toBe(false);
    // Once the old key is dropped, values still under it fail loudly, naming the key they need.
    const newOnly = new SecretBox([{ id: 'k2', secret: NEW }]);
    expect(newOnly.decrypt(rewritten, T1)).toBe('xoxb-1');
    expect(() => newOnly.decrypt(written, T1)).toThrow(/no key with id "k1"/);
    // Values written before this change (v1: no key id, no associated data) open with any listed key.
    const legacy = legacyV1(OLD, 'xoxb-legacy');
    expect(rotated.decrypt(legacy, T1)).toBe('xoxb-legacy');
    expect(rotated.isStale(legacy)).toBe(true);
    expect(() => newOnly.decrypt(legacy, T1)).toThrow();
  });

  it('reads ENCRYPTION_KEY as one plain key or a list of id:key entries, newest first', () => {
    expect(parseEncryptionKeys(OLD)).toEqual({ ok: true, keys: [{ id: 'default', secret: OLD }] });
    expect(parseEncryptionKeys(`k2:${NEW}, k1:${OLD}`)).toEqual({
      ok: true,
      keys: [
        { id: 'k2', secret: NEW },
        { id: 'k1', secret: OLD },
      ],
    });
    expect(parseEncryptionKeys(`k2:short,k1:${OLD}`)).toMatchObject({ ok: false });
    expect(parseEncryptionKeys(`k1:${NEW},k1:${OLD}`)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('twice'),
    });
    expect(parseEncryptionKeys(`${NEW},${OLD}`)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('id:key'),
    });
  });
});
