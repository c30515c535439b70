import { describe, expect, it } from 'vitest';
import { replyWithin } from '../../../src/slack/listeners/reply.ts';
import type { CommandReply } from '../../../src/slack/views/help.ts';

/** Records what a command's ack and response URL receive, in order. */
function recorder() {
  const log: Array<{ to: 'ack' | 'response_url'; body: unknown }> = [];
  return {
    log,
    ack: async (body?: unknown) => {
      log.push({ to: 'ack', body });
    },
    respond: async (body: unknown) => {
      log.push({ to: 'response_url', body });
      return undefined;
    },
  };
}

const answer: CommandReply = { response_type: 'ephemeral', text: 'Paused until Monday.' };

describe('answering a slash command', () => {
  it('answers in the ack when the work is quick', async () => {
    const r = recorder();
    await replyWithin(r.ack as never, r.respond as never, Promise.resolve(answer), 60_000);
    expect(r.log).toEqual([{ to: 'ack', body: answer }]);
  });

  it('answers a slow command once, through the response URL, never relying on replace_original', async () => {
    const r = recorder();
    let finish: (reply: CommandReply) => void = () => {};
    const work = new Promise<CommandReply>((resolve) => {
      finish = resolve;
    });
    const done = replyWithin(r.ack as never, r.respond as never, work, 0);
    await new Promise((resolve) => setTimeout(resolve, 10));
    finish(answer);
    await done;
    // An empty ack shows nothing, so there is no interim message left to replace.
    expect(r.log).toEqual([
      { to: 'ack', body: undefined },
      { to: 'response_url', body: answer },
    ]);
    expect(JSON.stringify(r.log)).not.toContain('replace_original');
  });
});
