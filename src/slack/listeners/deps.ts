import type { Logger } from '../../observability/logger.ts';
import type { CommandReply } from '../views/help.ts';

/** A slash command as the services see it: plain data, no Slack SDK types. */
export interface CommandInput {
  workspaceId: string;
  userId: string;
  channelId: string;
  text: string;
  triggerId?: string;
}

/** The use cases listeners call; each returns what to tell the user. */
export interface ListenerServices {
  introCommand: { handle(input: CommandInput): Promise<CommandReply> };
  gives: {
    giveFromCommand(input: {
      workspaceId: string;
      giverId: string;
      channelId: string;
      text: string;
    }): Promise<CommandReply>;
  };
}

export interface ListenerDeps {
  log: Logger;
  services: ListenerServices;
}
