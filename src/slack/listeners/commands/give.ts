import type { App } from '@slack/bolt';
import { COMMANDS } from '../../ids.ts';
import { buildGiveUsage } from '../../views/help.ts';
import type { ListenerDeps } from '../deps.ts';

/** `/give`: records gives, posts the shoutout through the response URL; no arguments → usage. */
export function registerGiveCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMANDS.give, async ({ command, ack, respond, context }) => {
    if (command.text.trim() === '') {
      await ack(buildGiveUsage());
      return;
    }
    await ack();
    const replies = await deps.services.gives.giveFromCommand({
      workspaceId: context.teamId ?? command.team_id,
      giverId: command.user_id,
      channelId: command.channel_id,
      text: command.text,
      triggerId: command.trigger_id,
    });
    for (const reply of replies) await respond(reply);
  });
}
