import type { App } from '@slack/bolt';
import type { GiveCommandResult } from '../../../services/gives.ts';
import { COMMANDS } from '../../ids.ts';
import { parseGiveCommand } from '../../parsers/give-command.ts';
import { buildGiveNotes, buildShoutout } from '../../views/gives.ts';
import { buildErrorReply, buildGiveUsage, type CommandReply } from '../../views/help.ts';
import type { ListenerDeps } from '../deps.ts';

/** `/give`: records gives, posts the shoutout through the response URL; no arguments → usage. */
export function registerGiveCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMANDS.give, async ({ command, ack, respond, context }) => {
    if (command.text.trim() === '') {
      await ack(buildGiveUsage());
      return;
    }
    await ack();
    const parsed = parseGiveCommand(command.text);
    if (!parsed.ok) {
      await respond(buildErrorReply(parsed.message));
      return;
    }
    const result = await deps.services.gives.giveFromCommand({
      workspaceId: context.teamId ?? command.team_id,
      giverId: command.user_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      receivers: parsed.receivers,
      unresolvedNames: parsed.unresolvedNames,
      kind: parsed.kind,
      reason: parsed.reason,
    });
    for (const reply of giveReplies(result)) await respond(reply);
  });
}

/** Replies to post through the response URL, in order (public shoutout, then private notes). */
function giveReplies(result: GiveCommandResult): CommandReply[] {
  if (result.code === 'unknown_names') {
    return [
      buildErrorReply(
        `I couldn't find ${result.names.map((n) => `@${n}`).join(', ')} in this workspace. Pick people from Slack's autocomplete as you type @, e.g. \`/give @maria #help thanks for reviewing the deck\`.`,
      ),
    ];
  }
  if (result.code === 'already_recorded') return [buildErrorReply('That give was already recorded.')];
  const replies: CommandReply[] = [];
  if (result.thanked.length > 0) {
    replies.push(
      buildShoutout({
        giverId: result.giverId,
        receiverIds: result.thanked,
        kind: result.kind,
        reason: result.reason,
      }),
    );
  }
  const notes = buildGiveNotes(result.notes);
  if (notes) replies.push(notes);
  return replies;
}
