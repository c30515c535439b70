import type { Logger } from '../../observability/logger.ts';
import type { AdminSettingsService } from '../../services/admin-settings.ts';
import type { DepartmentsService } from '../../services/departments.ts';
import type { FollowUpService } from '../../services/followups.ts';
import type { GiveService } from '../../services/gives.ts';
import type { HomeService } from '../../services/home.ts';
import type { IntroService } from '../../services/intros.ts';
import type { LifecycleService } from '../../services/lifecycle.ts';
import type { MeetingService } from '../../services/meetings.ts';
import type { MembershipService } from '../../services/membership.ts';
import type { SlackGateway } from '../../services/ports.ts';
import type { PrivacyService } from '../../services/privacy.ts';
import type { ProfileService } from '../../services/profile.ts';
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
  intros: Pick<IntroService, 'answer' | 'request' | 'introduce'>;
  profile: Pick<ProfileService, 'openModal' | 'save' | 'pauseFor' | 'resume' | 'skip'>;
  privacy: Pick<PrivacyService, 'exportData' | 'forget'>;
  adminSettings: Pick<AdminSettingsService, 'save'>;
  departments: Pick<DepartmentsService, 'apply' | 'tell'>;
  followups: Pick<
    FollowUpService,
    'answerCheckIn' | 'openThankYou' | 'submitThankYou' | 'answerReconnect' | 'skipPeriod' | 'programChannel'
  >;
  home: Pick<HomeService, 'publish'>;
  meetings: Pick<MeetingService, 'pick' | 'noneWork'>;
  lifecycle: Pick<LifecycleService, 'uninstalled'>;
  membership: Pick<MembershipService, 'joinedChannel' | 'leftChannel' | 'profileChanged' | 'joinedWorkspace'>;
  gives: Pick<
    GiveService,
    | 'giveFromCommand'
    | 'messagePosted'
    | 'messageEdited'
    | 'messageDeleted'
    | 'reactionAdded'
    | 'reactionRemoved'
  >;
}

export interface ListenerDeps {
  log: Logger;
  services: ListenerServices;
  /** Replaces a modal after a submission's ack; answers a DM to Weave. */
  slack: Pick<SlackGateway, 'updateView' | 'postMessage'>;
}
