import type { App } from '@slack/bolt';
import { COMMANDS } from '../../ids.ts';
import { buildGiveUsage } from '../../views/help.ts';
import type { ListenerDeps } from '../deps.ts';

/** `/give`: records gives; with no arguments it answers with usage. */
export function registerGiveCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMANDS.give, async ({ command, ack, respond, context }) => {
    const log = deps.log.child({ listener: 'give', user: command.user_id });
    if (command.text.trim() === '') {
      await ack(buildGiveUsage());
      return;
    }
    await ack();
    const reply = await deps.services.gives.giveFromCommand({
      workspaceId: context.teamId ?? command.team_id,
      giverId: command.user_id,
      channelId: command.channel_id,
      text: command.text,
    });
    log.debug({ outcome: reply.response_type }, 'give command handled');
    await respond(reply);
  });
}
