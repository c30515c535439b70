import { describe, expect, it } from 'vitest';
import { boltLogger, createLogger } from '../../../src/observability/logger.ts';

const TOKEN = 'xoxb-1111-2222-abcdefABCDEF';
const LINK =
  'https://weave.example.com/dashboard?t=VDBXRUFWRTE6VTBBTk5BOjE3OTk5OTk5OTk6YWJj.ZGVhZGJlZWZkZWFkYmVlZmRlYWRiZWVmZGVhZGJlZWY0';

function capture(level: 'debug' | 'info' = 'debug', secrets: string[] = []) {
  const lines: string[] = [];
  const log = createLogger(level, { write: (l: string) => void lines.push(l) }, secrets);
  return { log, text: () => lines.join('') };
}

describe('log scrubbing', () => {
  it('redacts secret keys in any case and at any depth, and token-shaped text in every string', () => {
    const { log, text } = capture('debug', ['configured-client-secret-value']);
    const err = new Error(`Slack refused ${TOKEN}`);
    log.error({ err }, 'call failed');
    log.warn({ headers: { Authorization: `Bearer ${TOKEN}`, 'X-Slack-Signature': 'v0=abc' } }, 'request');
    log.warn(
      { install: { deep: { Client_Secret: 'cs-1', signing_secret: 'ss-1', APP_TOKEN: 'xapp-1-A-1-b' } } },
      'i',
    );
    log.info(
      { list: [{ refresh_token: 'xoxe.xoxp-1-abc' }] },
      `link ${LINK} and cookie weave_dashboard=abc.def`,
    );
    log.info('the configured-client-secret-value leaked into a message');
    const out = text();
    for (const secret of [
      TOKEN,
      'cs-1',
      'ss-1',
      'xapp-1',
      'xoxe',
      'v0=abc',
      'configured-client-secret-value',
      'ZGVhZGJl',
      'weave_dashboard=abc',
    ])
      expect(out, secret).not.toContain(secret);
    expect(out).toContain('call failed');
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(9);
  });

  it('never logs message bodies or exports under content keys, but keeps counts', () => {
    const { log, text } = capture();
    log.info(
      {
        text: 'hello secret plans',
        blocks: [{ type: 'section' }],
        payload: { parts: ['export…'] },
        parts: 3,
      },
      'sent',
    );
    const out = text();
    expect(out).not.toContain('secret plans');
    expect(out).not.toContain('export…');
    expect(out).toContain('"parts":3');
  });

  it("drops the Slack libraries' debug output (request bodies) whatever the level", () => {
    const { log, text } = capture('debug');
    const slackLog = boltLogger(log);
    slackLog.setLevel('debug' as never);
    slackLog.debug('http request body: {"text":"the whole export"}');
    slackLog.info('connected');
    expect(text()).not.toContain('the whole export');
    expect(text()).toContain('connected');
  });
});
