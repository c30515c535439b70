import type { CommandInput } from '../slack/listeners/deps.ts';
import { buildErrorReply, buildIntroHelp, type CommandReply } from '../slack/views/help.ts';

/** `/intro` subcommands: parse, run the use case, describe the outcome. */
export function createIntroCommandService() {
  return {
    async handle(input: CommandInput): Promise<CommandReply> {
      const text = input.text.trim().toLowerCase();
      if (text === '' || text === 'help') return buildIntroHelp();
      return buildErrorReply(
        `\`/intro ${input.text.trim().slice(0, 50)}\` isn't available yet. Try \`/intro help\`.`,
      );
    },
  };
}
