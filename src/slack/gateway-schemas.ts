// Slack Web API responses as Weave reads them: one zod schema per method, naming only the fields Weave
// uses, typed as Slack's reference documents them (https://docs.slack.dev/reference/methods/<method>).
// A z.object ignores keys it does not name, so whatever Slack adds to a response passes unread.
// The WebClient throws on `ok: false`, so these describe success responses only.

import { z } from 'zod';
import type { ProfileField, SlackUser, SlackUserGroup } from '../services/ports.ts';

/** A message timestamp, seconds and microseconds since the epoch: "1700000000.000100". */
const messageTs = z.string().regex(/^\d+\.\d{6}$/);
/** A non-empty Slack id (user, conversation, team …). */
const id = z.string().min(1);

const ok = z.literal(true);
/** Cursor pagination: `next_cursor` is empty (or absent) on the last page. */
const responseMetadata = z.object({ next_cursor: z.string().optional() }).optional();

/** A success with nothing Weave reads (chat.update, reactions.add, views.* …). */
export const okResponse = z.object({ ok });

/**
 * Custom profile fields by field id. Slack sends `null` (users.info) or, in some responses, an empty
 * array when a person has none.
 */
const customFields = z.union([
  z.record(z.string(), z.object({ value: z.string() }).nullable()),
  z.null(),
  z.array(z.never()),
]);

/** A user's profile (users.profile.get; the `profile` of a user object). */
export const slackProfile = z.object({
  real_name: z.string(),
  display_name: z.string(),
  title: z.string().optional(),
  email: z.string().nullish(),
  fields: customFields.optional(),
});

/**
 * A user object (users.info, users.list, the user_change and team_join events). A deactivated account
 * comes without time zone or role flags.
 */
export const slackUser = z.object({
  id,
  name: z.string(),
  real_name: z.string().optional(),
  deleted: z.boolean().optional(),
  tz: z.string().nullish(),
  is_bot: z.boolean(),
  is_admin: z.boolean().optional(),
  is_owner: z.boolean().optional(),
  is_primary_owner: z.boolean().optional(),
  is_restricted: z.boolean().optional(),
  is_ultra_restricted: z.boolean().optional(),
  profile: slackProfile,
});
export type SlackUserObject = z.infer<typeof slackUser>;

export const authTestResponse = z.object({
  ok,
  user_id: id,
  // An org-wide install's token answers with the organisation's id here.
  team_id: z.string(),
  enterprise_id: z.string().optional(),
});

export const conversationsMembersResponse = z.object({
  ok,
  members: z.array(id),
  response_metadata: responseMetadata,
});

export const usersListResponse = z.object({
  ok,
  members: z.array(slackUser),
  response_metadata: responseMetadata,
});

export const usersInfoResponse = z.object({ ok, user: slackUser });

export const usersProfileGetResponse = z.object({ ok, profile: slackProfile });

export const teamProfileGetResponse = z.object({
  ok,
  profile: z.object({ fields: z.array(z.object({ id, label: z.string() })) }),
});

export const conversationsOpenResponse = z.object({ ok, channel: z.object({ id }) });

export const chatPostMessageResponse = z.object({ ok, ts: messageTs });

/** Message metadata (https://docs.slack.dev/messaging/message-metadata): an event type and its payload. */
const messageMetadata = z.object({
  event_type: z.string(),
  event_payload: z.record(z.string(), z.unknown()).optional(),
});

export const conversationsHistoryResponse = z.object({
  ok,
  messages: z.array(z.object({ ts: messageTs, metadata: messageMetadata.optional() })),
  has_more: z.boolean(),
  response_metadata: responseMetadata,
});

export const chatGetPermalinkResponse = z.object({ ok, permalink: z.url() });

export const conversationsInfoResponse = z.object({
  ok,
  channel: z.object({
    id,
    is_channel: z.boolean().optional(),
    is_private: z.boolean().optional(),
    is_im: z.boolean().optional(),
    is_mpim: z.boolean().optional(),
    is_member: z.boolean().optional(),
  }),
});

export const usergroupsListResponse = z.object({
  ok,
  usergroups: z.array(
    z.object({
      id,
      name: z.string(),
      handle: z.string(),
      /** Seconds since the epoch when the group was disabled; 0 while it is enabled. */
      date_delete: z.number().optional(),
      /** Present when asked for (`include_users`). */
      users: z.array(id).optional(),
    }),
  ),
});

/** The next page's cursor, or '' on the last page. */
export function nextCursor(res: { response_metadata?: { next_cursor?: string | undefined } | undefined }) {
  return res.response_metadata?.next_cursor ?? '';
}

/** A user's custom profile field values by field id (empty values left out). */
export function fieldsOf(profile: z.infer<typeof slackProfile>): Record<string, string> {
  const fields: Record<string, string> = {};
  const raw = profile.fields;
  if (raw && !Array.isArray(raw))
    for (const [fieldId, f] of Object.entries(raw)) if (f?.value) fields[fieldId] = f.value;
  return fields;
}

/** Maps a Slack user object (users.info, users.list, user_change, team_join) to Weave's SlackUser. */
export function toUser(raw: SlackUserObject): SlackUser {
  const { profile } = raw;
  return {
    id: raw.id,
    name: profile.display_name || raw.name,
    realName: profile.real_name || raw.real_name || raw.name,
    title: profile.title ?? '',
    tz: raw.tz ?? 'UTC',
    isBot: raw.is_bot || raw.id === 'USLACKBOT',
    isDeleted: raw.deleted === true,
    isGuest: raw.is_restricted === true || raw.is_ultra_restricted === true,
    isAdmin: raw.is_admin === true || raw.is_owner === true || raw.is_primary_owner === true,
    fields: fieldsOf(profile),
    ...(profile.email ? { email: profile.email.toLowerCase() } : {}),
  };
}

/** A user object from an event, or null when it is not one. */
export function parseSlackUser(raw: unknown): SlackUser | null {
  const parsed = slackUser.safeParse(raw);
  return parsed.success ? toUser(parsed.data) : null;
}

/** team.profile.get's fields as Weave lists them. */
export function toProfileFields(res: z.infer<typeof teamProfileGetResponse>): ProfileField[] {
  return res.profile.fields.map((f) => ({ id: f.id, label: f.label }));
}

/** usergroups.list's groups, disabled ones left out. */
export function toUserGroups(res: z.infer<typeof usergroupsListResponse>): SlackUserGroup[] {
  return res.usergroups
    .filter((g) => !g.date_delete)
    .map((g) => ({ id: g.id, name: g.name, handle: g.handle, userIds: g.users ?? [] }));
}

/** A schema failure, short and without the response's values (which may be personal data): paths and messages. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}
