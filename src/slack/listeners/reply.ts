import type { AckFn, RespondArguments, RespondFn } from '@slack/bolt';
import type { CommandReply } from '../views/help.ts';

/** Slack wants an answer within 3 s; anything slower is answered later through the response URL. */
export const ACK_BUDGET_MS = 2000;

/**
 * Acks with the reply when `work` finishes within the budget; otherwise acks with an empty body (Slack
 * shows nothing yet) and posts the reply once through the response URL when it is ready. A command's
 * response URL does not honour `replace_original` (Slack documents it for interactions only), so an
 * interim "working on it" message could never be replaced: the user gets one answer, never two.
 */
export async function replyWithin(
  ack: AckFn<string | RespondArguments>,
  respond: RespondFn,
  work: Promise<CommandReply>,
  budgetMs = ACK_BUDGET_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), budgetMs);
  });
  const quick = await Promise.race([work, late]);
  clearTimeout(timer);
  if (quick) {
    await ack(quick);
    return;
  }
  await ack();
  const reply = await work.catch((error: unknown) => {
    // Already acked: the user must still hear something, and the error still reaches app.error. (A
    // response URL that fails too must not become an unhandled rejection.)
    respond({
      response_type: 'ephemeral',
      text: 'Sorry, something went wrong on our side. Please try again in a minute.',
    }).catch(() => undefined);
    throw error;
  });
  await respond(reply);
}
