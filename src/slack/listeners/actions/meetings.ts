import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { ACTIONS } from '../../ids.ts';
import { buildNoneReply, buildPickReply } from '../../views/meetings.ts';
import type { ListenerDeps } from '../deps.ts';

/** "Works for me": `<groupId>|<slot start, unix seconds>`. */
const pickValue = z
  .string()
  .regex(/^[^|]{1,64}\|\d{1,12}$/)
  .transform((v) => {
    const [groupId, unix] = v.split('|') as [string, string];
    return { groupId, slot: new Date(Number(unix) * 1000) };
  });
const groupValue = z.string().min(1).max(64);

type ButtonArgs = {
  ack: () => Promise<void>;
  body: BlockAction<ButtonAction>;
  action: ButtonAction;
  respond: (m: object) => Promise<unknown>;
};

const ephemeral = (text: string) => ({ response_type: 'ephemeral', replace_original: false, text });

/** The suggested-times buttons of intros: "Works for me" and "None of these work". */
export function registerMeetingActions(app: App, deps: ListenerDeps): void {
  const meetings = deps.services.meetings;

  app.action<BlockAction<ButtonAction>>(
    ACTIONS.meetingPick,
    async ({ ack, body, action, respond }: ButtonArgs) => {
      await ack();
      const value = pickValue.safeParse(action.value);
      const workspaceId = body.team?.id ?? body.user.team_id;
      if (!value.success || !workspaceId) return;
      const outcome = await meetings.pick({ workspaceId, userId: body.user.id, ...value.data });
      await respond(ephemeral(buildPickReply(outcome)));
    },
  );

  app.action<BlockAction<ButtonAction>>(
    ACTIONS.meetingNone,
    async ({ ack, body, action, respond }: ButtonArgs) => {
      await ack();
      const value = groupValue.safeParse(action.value);
      const workspaceId = body.team?.id ?? body.user.team_id;
      if (!value.success || !workspaceId) return;
      const r = await meetings.noneWork({ workspaceId, groupId: value.data, userId: body.user.id });
      await respond(ephemeral(buildNoneReply(r.kind)));
    },
  );
}
