import { randomUUID } from 'node:crypto';
import type { WorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import { outcomeOf, postOnce } from './deliveries.ts';
import type { NotificationHandlers } from './outbox.ts';
import type {
  Clock,
  PromptQueue as PromptRepository,
  SlackGateway,
  WorkspaceStore as WorkspaceRepository,
} from './ports.ts';

/** Everything Weave stores about one member, as exported by `/intro data`. */
export interface MemberExport {
  exportedAt: string;
  workspaceId: string;
  userId: string;
  member: Record<string, unknown> | null;
  programMemberships: unknown[];
  programsStarted: unknown[];
  groups: unknown[];
  roundsNotMatched: unknown[];
  intros: unknown[];
  givesGiven: unknown[];
  givesReceived: unknown[];
  prompts: unknown[];
  namedAsAdmin: boolean;
}

export type IntroRow = {
  id: string;
  introducerId: string;
  userAId: string;
  userBId: string;
  reason: string;
  source: string;
  status: string;
  acceptedA: Date | null;
  acceptedB: Date | null;
  createdAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
};

/** A group membership of the member, with the group and its members' answers. */
export interface MemberGroupRow {
  groupId: string;
  response: string | null;
  respondedAt: Date | null;
  group: {
    kind: string;
    roundId: string | null;
    status: string;
    reasons: unknown;
    conversationId: string | null;
    createdAt: Date;
    metAt: Date | null;
    members: Array<{ userId: string }>;
  };
}

/** Every stored row about a member, as read for an export (rows are exported whole). */
export interface MemberRecords {
  member: ({ isDeleted: boolean } & Record<string, unknown>) | null;
  /** Program memberships, each with its program's channel. */
  memberships: Array<Record<string, unknown> & { program: { channelId: string } }>;
  programsStarted: Array<{ id: string; channelId: string; createdAt: Date }>;
  groups: MemberGroupRow[];
  roundsNotMatched: unknown[];
  intros: IntroRow[];
  givesGiven: unknown[];
  givesReceived: unknown[];
  prompts: Array<Record<string, unknown> & { kind: string; payload: unknown }>;
}

/** The persistence privacy needs (implemented in src/persistence/repositories/privacy.ts). */
export interface PrivacyRepository {
  /** Every row about the member: their own rows and the rows that name them, in creation order. */
  records(workspaceId: string, userId: string): Promise<MemberRecords>;
  /**
   * Deletes or anonymises every row about the member in one transaction (see PERSONAL_COLUMNS);
   * `names(value)` tells whether a JSON value names them; `settings`, when given, replaces the workspace's
   * settings. Returns how many rows changed.
   */
  forget(
    workspaceId: string,
    userId: string,
    opts: { standIn: string; names: (value: unknown) => boolean; settings: WorkspaceSettings | null },
  ): Promise<number>;
  /** Drops the copy of an export kept in its prompt, keeping how many parts it had. */
  dropExportCopy(promptId: string, parts: number): Promise<void>;
}

/**
 * An intro as exported to one of its people: only their own answer time. The other side's answer would
 * tell an introducer (or the other person) who said no, which Weave promises nobody is told.
 */
function introOf(i: IntroRow, userId: string) {
  const mine = i.userAId === userId ? i.acceptedA : i.userBId === userId ? i.acceptedB : undefined;
  return {
    id: i.id,
    role: i.introducerId === userId ? 'introducer' : 'introduced',
    introducerId: i.introducerId,
    people: [i.userAId, i.userBId],
    reason: i.reason,
    source: i.source,
    status: i.status,
    ...(mine !== undefined ? { myAcceptedAt: mine } : {}),
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    closedAt: i.closedAt,
  };
}

/**
 * Every text, text-array and JSON column that can hold a Slack user id or something about a person, and
 * what `/intro forget` does to it. A test reads prisma/schema.prisma and fails when a text or JSON column is
 * in neither this list nor NON_PERSONAL_COLUMNS: a new column must be classified (and covered) first.
 * The README's privacy section is written from these two lists.
 */
export const PERSONAL_COLUMNS: Readonly<Record<string, string>> = {
  'Workspace.settings': 'their id removed from the admins named in Weave settings',
  'Member.userId': 'their Member row deleted',
  'Member.name': 'deleted with their Member row',
  'Member.realName': 'deleted with their Member row',
  'Member.title': 'deleted with their Member row',
  'Member.tz': 'deleted with their Member row',
  'Member.slackDepartment': 'deleted with their Member row',
  'Member.department': 'deleted with their Member row',
  'Member.expertise': 'deleted with their Member row',
  'Member.interests': 'deleted with their Member row',
  'Member.workingHours': 'deleted with their Member row',
  'Member.doNotPair': "their row deleted; their id removed from everyone else's list",
  'Member.status': 'deleted with their Member row',
  'Member.skipPeriodKey': 'deleted with their Member row',
  'Member.lastTrioRoundId': 'deleted with their Member row',
  'Program.createdBy': 'set to null where it is them',
  'ProgramMember.userId': 'their memberships deleted',
  'Round.unmatched': 'their id removed from the array',
  'Group.reasons': 'emptied for every group they were in (reasons are written about its people)',
  'GroupMember.userId': 'their group memberships deleted',
  'GroupMember.response': 'deleted with their group memberships',
  'Intro.introducerId': 'every intro they made, were invited to or asked for deleted',
  'Intro.userAId': 'every intro they made, were invited to or asked for deleted',
  'Intro.userBId': 'every intro they made, were invited to or asked for deleted',
  'Intro.reason': 'deleted with their intros; mentions of them in other intros replaced by "@someone"',
  'Give.giverId': 'gives they made deleted',
  'Give.receiverId': 'set to null on gives they received (kept, anonymised, for the giver)',
  'Give.reason':
    'mentions of them replaced by "@someone"; an intro give about them keeps only "Introduced …" without the reason',
  'Give.sourceKey': 'the part that is their id replaced by a random stand-in',
  'Prompt.key': 'prompts with their id as a part of the key deleted',
  'Prompt.userId': 'prompts to them deleted',
  'Prompt.payload': 'prompts whose payload names them (a string equal to their id or a mention) deleted',
  'InboxItem.body':
    'Slack inputs not yet processed (or failed) that name them deleted; processed ones keep no body',
  'Prompt.result': 'prompts whose result names them deleted',
};

/** Text and JSON columns that hold nothing about a person, and why. */
export const NON_PERSONAL_COLUMNS: Readonly<Record<string, string>> = {
  'Workspace.id': 'Slack team id',
  'Workspace.enterpriseId': 'Slack enterprise id',
  'Workspace.name': 'workspace name',
  'Installation.id': 'row id',
  'Installation.workspaceId': 'Slack team id',
  'Installation.installKey': 'team or enterprise id',
  'Installation.enterpriseId': 'Slack enterprise id',
  'Installation.teamId': 'Slack team id',
  'Installation.botUserId': "the bot's user id",
  'Installation.botId': "the bot's id",
  'Installation.tokenCiphertext': 'the bot token, encrypted',
  'Installation.dataCiphertext':
    "Slack's installation record, encrypted; it names the admin who installed Weave and is needed to act for the workspace. It goes when Weave is uninstalled.",
  'Member.workspaceId': 'Slack team id',
  'Program.id': 'row id',
  'Program.workspaceId': 'Slack team id',
  'Program.channelId': 'channel id',
  'Program.cadence': 'schedule setting',
  'Program.tz': 'schedule setting',
  'ProgramMember.workspaceId': 'Slack team id',
  'ProgramMember.programId': 'row id',
  'Round.id': 'row id',
  'Round.workspaceId': 'Slack team id',
  'Round.programId': 'row id',
  'Round.periodKey': 'period such as 2026-W48',
  'Round.status': 'state',
  'Round.stats': "the matcher's counts",
  'Group.id': 'row id',
  'Group.workspaceId': 'Slack team id',
  'Group.roundId': 'row id',
  'Group.kind': 'kind',
  'Group.conversationId': 'group DM id',
  'Group.messageTs': 'message timestamp',
  'Group.status': 'state',
  'Group.failure': 'Slack error code',
  'Group.slots':
    'suggested meeting times (instants; who picked which is GroupMember.pickedSlot, deleted with the membership)',
  'GroupMember.workspaceId': 'Slack team id',
  'GroupMember.groupId': 'row id',
  'Intro.id': 'row id',
  'Intro.workspaceId': 'Slack team id',
  'Intro.source': 'kind',
  'Intro.status': 'state',
  'Intro.groupId': 'row id',
  'Give.id': 'row id',
  'Give.workspaceId': 'Slack team id',
  'Give.kind': 'kind',
  'Give.source': 'kind',
  'Give.channelId': 'channel id',
  'Give.messageTs': 'message timestamp',
  'Prompt.id': 'row id',
  'Prompt.workspaceId': 'Slack team id',
  'Prompt.kind': 'kind',
  'Prompt.groupId': 'row id',
  'Prompt.status': 'state',
  'InboxItem.id': 'row id',
  'InboxItem.workspaceId': 'Slack team id',
  'InboxItem.key': "Slack's event id or a request's trigger id",
  'InboxItem.kind': 'event, command or action',
  'InboxItem.status': 'state',
  'InboxItem.lockedBy': 'worker id',
  'InboxItem.lastError': 'error code',
  'Prompt.lockedBy': 'worker id',
  'Prompt.lastError': 'Slack error code',
  'ProcessedEvent.workspaceId': 'Slack team id',
  'ProcessedEvent.eventId': 'Slack event id',
  'JobRun.id': 'row id',
  'JobRun.workspaceId': 'Slack team id',
  'JobRun.job': 'job name',
  'JobRun.runKey': 'period key',
  'JobRun.result': "a job's counts and channel ids",
  'DashboardLinkUse.workspaceId': 'Slack team id',
  'DashboardLinkUse.nonce': 'random link id',
  'RateBudget.workspaceId': 'Slack team id',
  'RateBudget.method': 'Slack Web API method name',
};

/** True when a JSON value holds `userId` exactly: a string equal to it, a mention of it, a `:`-key part. */
function jsonNames(value: unknown, userId: string): boolean {
  if (typeof value === 'string') {
    return (
      value === userId ||
      value.split(':').includes(userId) ||
      new RegExp(`<@${userId}(\\|[^>]*)?>`).test(value)
    );
  }
  if (Array.isArray(value)) return value.some((v) => jsonNames(v, userId));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k === userId || jsonNames(v, userId));
  }
  return false;
}

/** Slack user ids only: they go into SQL patterns below. */
const SLACK_ID = /^[UW][A-Z0-9]{2,30}$/;

/** `/intro data` (export by DM) and `/intro forget` (delete, keeping received gives anonymised). */
export function createPrivacyService(deps: {
  privacy: PrivacyRepository;
  /** Splits an export's JSON into the DM texts that carry it (the Slack adapter's message size). */
  exportMessages: (json: string) => string[];
  prompts: Pick<PromptRepository, 'schedule'>;
  workspaces: WorkspaceRepository;
  log: Logger;
  clock: Clock;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'privacy' });

  /** Collects every row about the member (their own rows and the rows that name them). */
  async function collect(workspaceId: string, userId: string): Promise<MemberExport> {
    const [records, settings] = await Promise.all([
      deps.privacy.records(workspaceId, userId),
      deps.workspaces.settings(workspaceId),
    ]);
    const { member, memberships, programsStarted: started, groups: groupRows, intros, prompts } = records;
    return {
      exportedAt: deps.clock.now().toISOString(),
      workspaceId,
      userId,
      member: member ? { ...member } : null,
      programMemberships: memberships.map(({ program, ...m }) => ({ ...m, channelId: program.channelId })),
      programsStarted: started.map((s) => ({ id: s.id, channelId: s.channelId, createdAt: s.createdAt })),
      groups: groupRows.map((gm) => ({
        groupId: gm.groupId,
        kind: gm.group.kind,
        roundId: gm.group.roundId,
        status: gm.group.status,
        myResponse: gm.response,
        respondedAt: gm.respondedAt,
        with: gm.group.members.map((m) => m.userId).filter((id) => id !== userId),
        reasons: gm.group.reasons,
        conversationId: gm.group.conversationId,
        createdAt: gm.group.createdAt,
        metAt: gm.group.metAt,
      })),
      roundsNotMatched: records.roundsNotMatched,
      intros: intros.map((i) => introOf(i, userId)),
      givesGiven: records.givesGiven,
      givesReceived: records.givesReceived,
      // The text of earlier exports is not repeated inside a new one.
      prompts: prompts.map((pr) => ({
        ...pr,
        payload: pr.kind === 'data_export' ? {} : pr.payload,
      })),
      namedAsAdmin: settings.adminIds.includes(userId),
    };
  }

  return {
    collect,

    /**
     * Queues the export as DMs to the member; returns how many messages it takes (0 when Weave stores
     * nothing about them: no profile, no history).
     */
    async exportData(workspaceId: string, userId: string): Promise<{ parts: number }> {
      const data = await collect(workspaceId, userId);
      // A deactivated account can't read DMs (and can't have asked).
      if (data.member?.isDeleted) return { parts: 0 };
      const stored =
        data.member !== null ||
        data.intros.length + data.givesGiven.length + data.givesReceived.length + data.groups.length > 0;
      if (!stored) return { parts: 0 };
      const parts = deps.exportMessages(JSON.stringify(data, null, 2));
      // One prompt for all parts: the outbox delivers prompts in parallel, the parts must arrive in order.
      await deps.prompts.schedule([
        {
          workspaceId,
          kind: 'data_export',
          key: `data_export:${randomUUID()}`,
          userId,
          payload: { parts },
          dueAt: deps.clock.now(),
        },
      ]);
      deps.onScheduled?.();
      log.info({ workspaceId, userId, parts: parts.length }, 'data export queued');
      return { parts: parts.length };
    },

    /**
     * Deletes every row about the member. Gives they received stay for the giver, anonymised (receiver
     * null, mentions of them in reasons replaced); gives they gave, their intros, group memberships,
     * prompts and profile go. Returns how many rows were deleted or anonymised.
     */
    async forget(workspaceId: string, userId: string): Promise<{ rows: number }> {
      // Not a Slack user id: nothing can be stored under it (and it must not reach the patterns below).
      if (!SLACK_ID.test(userId)) return { rows: 0 };
      const standIn = `forgotten-${randomUUID()}`;
      const settings = await deps.workspaces.settings(workspaceId);
      const rows = await deps.privacy.forget(workspaceId, userId, {
        standIn,
        names: (value) => jsonNames(value, userId),
        settings: settings.adminIds.includes(userId)
          ? { ...settings, adminIds: settings.adminIds.filter((id) => id !== userId) }
          : null,
      });
      log.info({ workspaceId, rows }, 'member data forgotten');
      return { rows };
    },
  };
}
export type PrivacyService = ReturnType<typeof createPrivacyService>;

/** Sends the parts of a data export by DM, in order, then drops the copy kept in the prompt. */
export function createPrivacyDeliveryHandlers(deps: {
  privacy: Pick<PrivacyRepository, 'dropExportCopy'>;
  slack: SlackGateway;
}): Pick<NotificationHandlers, 'data_export'> {
  return {
    async data_export(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'data_export without user' };
      const { parts } = prompt.payload;
      if (parts.length === 0) return { status: 'skipped', reason: 'export already sent' };
      const open = await deps.slack.openConversation(prompt.workspaceId, [prompt.userId]);
      if (!open.ok) return outcomeOf(open);
      for (const [i, text] of parts.entries()) {
        // Each part has its own id, so a retry finds the parts already posted instead of repeating them.
        const posted = await postOnce(
          deps.slack,
          { ...prompt, id: `${prompt.id}:${i + 1}` },
          open.channelId,
          {
            text,
          },
        );
        if (!posted.ok) return outcomeOf(posted);
      }
      // The export lives in the member's DMs now; the outbox keeps only how many parts it had.
      await deps.privacy.dropExportCopy(prompt.id, parts.length);
      return { status: 'sent', result: { channelId: open.channelId, parts: parts.length } };
    },
  };
}
