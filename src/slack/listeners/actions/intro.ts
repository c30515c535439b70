import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../ids.ts';
import { parseIntroId, parseIntroRequest } from '../../parsers/view-state.ts';
import { buildErrorReply } from '../../views/help.ts';
import { buildIntroRequestedReply, buildInviteAnswered } from '../../views/intro-invite.ts';
import type { ListenerDeps } from '../deps.ts';

const STALE = 'This button no longer works. Try `/intro help` for what you can do.';

/** Accept / Not now on an intro invite, and "Request intro" on `/intro find` results. */
export function registerIntroActions(app: App, deps: ListenerDeps): void {
  const answer = (kind: 'accept' | 'decline') =>
    app.action<BlockButtonAction>(
      kind === 'accept' ? ACTIONS.introAccept : ACTIONS.introDecline,
      async ({ ack, body, action, respond, context }) => {
        await ack();
        const introId = parseIntroId(action.value);
        const workspaceId = context.teamId ?? body.team?.id;
        if (!introId || !workspaceId) {
          await respond({ response_type: 'ephemeral', replace_original: false, text: STALE });
          return;
        }
        const r = await deps.services.intros.answer({
          workspaceId,
          introId,
          userId: body.user.id,
          answer: kind,
        });
        await respond(
          r.ok
            ? { replace_original: true, ...buildInviteAnswered(r.state) }
            : { response_type: 'ephemeral', replace_original: false, text: r.message },
        );
      },
    );
  answer('accept');
  answer('decline');

  app.action<BlockButtonAction>(ACTIONS.introRequest, async ({ ack, body, action, respond, context }) => {
    await ack();
    const value = parseIntroRequest(action.value);
    const workspaceId = context.teamId ?? body.team?.id;
    if (!value || !workspaceId) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: STALE });
      return;
    }
    const r = await deps.services.intros.request({
      workspaceId,
      requesterId: body.user.id,
      otherId: value.u,
      source: 'find',
      topic: value.t,
    });
    const reply = r.ok ? buildIntroRequestedReply(r.otherId, 'find') : buildErrorReply(r.message);
    await respond({ ...reply, replace_original: false });
  });
}
