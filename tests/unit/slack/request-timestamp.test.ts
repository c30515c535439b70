import { describe, expect, it } from 'vitest';
import { isFutureSignedRequest } from '../../../src/slack/request-timestamp.ts';

const NOW_MS = 1_800_000_000_000;
const at = (offsetSec: number) => ({ 'x-slack-request-timestamp': String(NOW_MS / 1000 + offsetSec) });

describe('signed request timestamps in the future', () => {
  it('refuses a timestamp more than five minutes ahead and allows clock skew up to five minutes', () => {
    expect(isFutureSignedRequest(at(301), NOW_MS)).toBe(true);
    expect(isFutureSignedRequest(at(86_400), NOW_MS)).toBe(true);
    expect(isFutureSignedRequest(at(300), NOW_MS)).toBe(false);
    expect(isFutureSignedRequest(at(0), NOW_MS)).toBe(false);
    // Stale and missing timestamps are Bolt's to refuse (it answers 401 for both).
    expect(isFutureSignedRequest(at(-3600), NOW_MS)).toBe(false);
    expect(isFutureSignedRequest({}, NOW_MS)).toBe(false);
  });
});
