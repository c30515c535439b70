import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { CheckInAnswer } from '../../../services/followups.ts';
import { ACTIONS, CALLBACKS } from '../../ids.ts';
import { buildCheckIn, buildHeadsUpSkipped, buildReconnectAnswered } from '../../views/followups.ts';
import type { ListenerDeps } from '../deps.ts';

const pairValue = z
  .string()
  .regex(/^[^|]+\|[^|]+$/)
  .transform((v) => {
    const [a, b] = v.split('|') as [string, string];
    return { a, b };
  });
const thankMetadata = z.object({ groupId: z.string(), receiverId: z.string(), connector: z.boolean() });

type ButtonArgs = { body: BlockAction<ButtonAction>; action: ButtonAction };

/** Buttons and the thank-you modal of follow-ups: check-ins, thank-yous, reconnects, heads-up skips. */
export function registerFollowUpActions(app: App, deps: ListenerDeps): void {
  const f = deps.services.followups;

  const checkIn =
    (answer: CheckInAnswer) =>
    async ({
      ack,
      body,
      action,
      respond,
    }: ButtonArgs & { ack: () => Promise<void>; respond: (m: object) => Promise<unknown> }) => {
      await ack();
      const workspaceId = body.team?.id ?? body.user.team_id;
      if (!workspaceId || !action.value) return;
      const r = await f.answerCheckIn({ workspaceId, groupId: action.value, userId: body.user.id, answer });
      if (!r.ok) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'This check-in is for the people in this chat.',
        });
        return;
      }
      await respond({
        replace_original: true,
        ...buildCheckIn({ groupId: action.value, answers: r.answers }),
      });
    };
  app.action<BlockAction<ButtonAction>>(ACTIONS.checkInMet, checkIn('met'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.checkInNotYet, checkIn('not_yet'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.checkInNotHappening, checkIn('not_happening'));

  const thank =
    (connector: boolean) =>
    async ({ ack, body, action }: ButtonArgs & { ack: () => Promise<void> }) => {
      await ack();
      const value = pairValue.safeParse(action.value);
      const workspaceId = body.team?.id ?? body.user.team_id;
      if (!value.success || !workspaceId) return;
      await f.openThankYou({
        workspaceId,
        userId: body.user.id,
        triggerId: body.trigger_id,
        groupId: value.data.a,
        receiverId: value.data.b,
        connector,
      });
    };
  app.action<BlockAction<ButtonAction>>(ACTIONS.thankPartner, thank(false));
  app.action<BlockAction<ButtonAction>>(ACTIONS.thankConnector, thank(true));

  app.view(CALLBACKS.give, async ({ ack, body, view }) => {
    const meta = thankMetadata.safeParse(
      (() => {
        try {
          return JSON.parse(view.private_metadata);
        } catch {
          return null;
        }
      })(),
    );
    const reason = z.string().safeParse(view.state.values.reason?.reason?.value);
    if (!meta.success || !reason.success) {
      await ack({
        response_action: 'errors',
        errors: { reason: 'Something was missing. Close this and click the button again.' },
      });
      return;
    }
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    const r = await f.submitThankYou({
      workspaceId,
      userId: body.user.id,
      reason: reason.data,
      ...meta.data,
    });
    await ack(r.ok ? undefined : { response_action: 'errors', errors: { reason: r.message } });
  });

  const reconnect =
    (answer: 'yes' | 'not_now' | 'never') =>
    async ({
      ack,
      body,
      action,
      respond,
    }: ButtonArgs & { ack: () => Promise<void>; respond: (m: object) => Promise<unknown> }) => {
      await ack();
      const workspaceId = body.team?.id ?? body.user.team_id;
      if (!workspaceId || !action.value) return;
      const r = await f.answerReconnect({
        workspaceId,
        promptId: action.value,
        userId: body.user.id,
        answer,
      });
      if (r.ok) await respond({ replace_original: true, ...buildReconnectAnswered(answer) });
    };
  app.action<BlockAction<ButtonAction>>(ACTIONS.reconnectYes, reconnect('yes'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.reconnectNotNow, reconnect('not_now'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.reconnectNever, reconnect('never'));

  app.action<BlockAction<ButtonAction>>(ACTIONS.skipFromHeadsUp, async ({ ack, body, action, respond }) => {
    await ack();
    const value = pairValue.safeParse(action.value);
    const workspaceId = body.team?.id ?? body.user.team_id;
    if (!value.success || !workspaceId) return;
    await f.skipPeriod(workspaceId, body.user.id, value.data.b);
    const program = await f.programChannel(workspaceId, value.data.a);
    await respond({ replace_original: true, ...buildHeadsUpSkipped(program ?? '') });
  });
}
