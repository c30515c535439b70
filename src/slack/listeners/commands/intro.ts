import type { App } from '@slack/bolt';
import { COMMANDS } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import { replyWithin } from '../reply.ts';

/** `/intro` and its subcommands: parsed and answered by the intro command service. */
export function registerIntroCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMANDS.intro, async ({ command, ack, respond, context }) => {
    const work = deps.services.introCommand.handle({
      workspaceId: context.teamId ?? command.team_id,
      userId: command.user_id,
      channelId: command.channel_id,
      text: command.text,
      triggerId: command.trigger_id,
    });
    await replyWithin(ack, respond, work);
  });
}
