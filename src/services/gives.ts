import { buildErrorReply, type CommandReply } from '../slack/views/help.ts';

/** Gives: /give, message emoji and reactions. */
export function createGiveService() {
  return {
    async giveFromCommand(_input: {
      workspaceId: string;
      giverId: string;
      channelId: string;
      text: string;
    }): Promise<CommandReply> {
      return buildErrorReply('Recording gives is not available yet. Try `/give` for usage.');
    },
  };
}
