import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { checkReason } from '../../../domain/gives/rules.ts';
import type { CheckInAnswer } from '../../../services/followups.ts';
import { ACTIONS, CALLBACKS, THANK_PARTNER_ACTION } from '../../ids.ts';
import {
  buildCheckIn,
  buildHeadsUpSkipped,
  buildReconnectAnswered,
  buildThankYouResultView,
  buildThankYouSendingView,
} from '../../views/followups.ts';
import { plainFieldError } from '../../views/intro-invite.ts';
import type { ListenerDeps } from '../deps.ts';
import { ackThenUpdate } from '../views/ack-then-update.ts';

const pairValue = z
  .string()
  .regex(/^[^|]+\|[^|]+$/)
  .transform((v) => {
    const [a, b] = v.split('|') as [string, string];
    return { a, b };
  });
const thankMetadata = z.object({ groupId: z.string(), receiverId: z.string(), connector: z.boolean() });

/** A button's value that names one row (a group or a prompt). */
const idValue = z.string().min(1);

type ButtonArgs = {
  ack: () => Promise<void>;
  body: BlockAction<ButtonAction>;
  action: ButtonAction;
  respond: (m: object) => Promise<unknown>;
};

/** A click on a follow-up button, once acked: where and by whom, the button's parsed value, and how to answer. */
interface Click<T> {
  workspaceId: string;
  userId: string;
  value: T;
  body: BlockAction<ButtonAction>;
  respond: ButtonArgs['respond'];
}

/** A button handler: acks at once, then runs `handle` unless the click has no workspace or `value` rejects its value. */
const button =
  <T>(value: z.ZodType<T>, handle: (click: Click<T>) => Promise<void>) =>
  async ({ ack, body, action, respond }: ButtonArgs) => {
    await ack();
    const parsed = value.safeParse(action.value);
    const workspaceId = body.team?.id ?? body.user.team_id;
    if (!parsed.success || !workspaceId) return;
    await handle({ workspaceId, userId: body.user.id, value: parsed.data, body, respond });
  };

/** Buttons and the thank-you modal of follow-ups: check-ins, thank-yous, reconnects, heads-up skips. */
export function registerFollowUpActions(app: App, deps: ListenerDeps): void {
  const f = deps.services.followups;

  const checkIn = (answer: CheckInAnswer) =>
    button(idValue, async ({ workspaceId, userId, value: groupId, respond }) => {
      const r = await f.answerCheckIn({ workspaceId, groupId, userId, answer });
      if (!r.ok) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'This check-in is for the people in this chat.',
        });
        return;
      }
      await respond({ replace_original: true, ...buildCheckIn({ groupId, answers: r.answers }) });
    });
  app.action<BlockAction<ButtonAction>>(ACTIONS.checkInMet, checkIn('met'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.checkInNotYet, checkIn('not_yet'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.checkInNotHappening, checkIn('not_happening'));

  const thank = (connector: boolean) =>
    button(pairValue, async ({ workspaceId, userId, value, body }) => {
      await f.openThankYou({
        workspaceId,
        userId,
        triggerId: body.trigger_id,
        groupId: value.a,
        receiverId: value.b,
        connector,
      });
    });
  app.action<BlockAction<ButtonAction>>(THANK_PARTNER_ACTION, thank(false));
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
    const reasonCheck = checkReason(reason.data);
    if (!reasonCheck.ok) {
      await ack({ response_action: 'errors', errors: { reason: plainFieldError(reasonCheck.message) } });
      return;
    }
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    await ackThenUpdate(deps, {
      ack: (response) => ack(response),
      workspaceId,
      viewId: view.id,
      pending: buildThankYouSendingView(),
      failed: buildThankYouResultView({
        ok: false,
        message: 'Something went wrong on our side. Please try again.',
      }),
      work: async () => {
        const r = await f.submitThankYou({
          workspaceId,
          userId: body.user.id,
          reason: reason.data,
          ...meta.data,
        });
        return buildThankYouResultView(r.ok ? { ok: true, receiverId: meta.data.receiverId } : r);
      },
    });
  });

  const reconnect = (answer: 'yes' | 'not_now' | 'never') =>
    button(idValue, async ({ workspaceId, userId, value: promptId, respond }) => {
      const r = await f.answerReconnect({ workspaceId, promptId, userId, answer });
      if (r.ok) await respond({ replace_original: true, ...buildReconnectAnswered(answer) });
    });
  app.action<BlockAction<ButtonAction>>(ACTIONS.reconnectYes, reconnect('yes'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.reconnectNotNow, reconnect('not_now'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.reconnectNever, reconnect('never'));

  app.action<BlockAction<ButtonAction>>(
    ACTIONS.skipFromHeadsUp,
    button(pairValue, async ({ workspaceId, userId, value, respond }) => {
      await f.skipPeriod(workspaceId, userId, value.b);
      const program = await f.programChannel(workspaceId, value.a);
      await respond({ replace_original: true, ...buildHeadsUpSkipped(program ?? '') });
    }),
  );
}
