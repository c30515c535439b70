// What the outbox sends, as typed notifications: one zod schema per prompt kind's payload. A use case
// enqueues a `NotificationInput` (kind and payload checked together by the compiler, see `PromptToSchedule`
// in ports.ts); the outbox parses `{ kind, payload }` when it claims a prompt (src/services/outbox.ts), and
// the kind's handler gets the payload typed. Schemas accept what earlier versions stored too: where the
// handlers did without a field, it is optional here, with the default they applied.
import { z } from 'zod';

/** A kind whose prompt carries nothing (the row names its user or group): `{}`, or no payload at all. */
const empty = z.object({}).default({});
const isoDateTime = z.iso.datetime();
/** An on-demand intro's prompts name the intro; a missing one reads as an intro deleted since. */
const introPayload = z.object({ introId: z.string().default('') });

const payloads = {
  // A round's messages (src/services/rounds.ts, membership.ts, admin-settings.ts).
  group_intro: z.object({
    seed: z.number().default(0),
    /** The person added to an enlarged group (told why); null when the group is the size asked for. */
    trioAddedId: z.string().nullable().default(null),
    /** An introducer named in the message (written by earlier versions). */
    introducerId: z.string().optional(),
    reason: z.string().default(''),
    /** A group of people who met before and both asked to meet again. */
    reconnect: z.boolean().optional(),
    /** A round's check-in time (the middle of its period), set when the round is planned. */
    checkInAt: isoDateTime.optional(),
  }),
  program_welcome: z.object({ programId: z.string().optional(), channelId: z.string().optional() }),
  unmatched_notice: z.object({ channelId: z.string().default('') }),

  // Follow-ups (src/services/followups.ts).
  checkin: empty,
  checkin_reminder: empty,
  thank_you: empty,
  reconnect: empty,
  heads_up: z.object({
    programId: z.string().default(''),
    channelId: z.string().default(''),
    /** Missing in rows of earlier versions: then nobody is taken as skipping the round. */
    periodKey: z.string().optional(),
    roundAt: z.string().optional(),
  }),
  welcome: z.object({ channelId: z.string().nullable().default(null) }),
  ghost_paused: empty,
  onboarding_match: z.object({ programId: z.string(), deadline: z.string().optional() }),

  // Gives (src/services/gives.ts): the receiver's DM, and the Slack work a recorded give leaves behind.
  give_dm: z.object({ giveId: z.string().default('') }),
  give_reaction: z.object({ channelId: z.string(), ts: z.string(), emoji: z.string() }),
  give_note: z.object({ channelId: z.string(), text: z.string() }),
  give_link: z.object({ giveId: z.string(), channelId: z.string(), ts: z.string() }),
  // `firstSeen`: the person had no member row when the give was recorded (rows from before it lack it).
  member_sync: z.object({ userId: z.string(), firstSeen: z.boolean().optional() }),

  // On-demand intros (src/services/intros.ts).
  intro_invite: introPayload,
  intro_group: introPayload,
  intro_closed: introPayload.extend({ outcome: z.enum(['declined', 'expired']).optional() }),

  // A data export's parts, in order. Once sent (and in rows of earlier versions) `parts` is a count, not
  // the texts: nothing is left to send.
  data_export: z.object({ parts: z.array(z.string()).catch([]) }),

  // Meetings (src/persistence/repositories/meetings.ts).
  meeting_set: empty,
  meeting_more: empty,

  // Weekly posts (src/services/recap.ts, digest.ts).
  program_recap: z.object({ programId: z.string().min(1), from: isoDateTime, to: isoDateTime }),
  digest: z.object({
    channelId: z.string().regex(/^[CG][A-Z0-9]+$/),
    week: z.string().min(1),
    from: isoDateTime,
    to: isoDateTime,
  }),
};

type Payloads = typeof payloads;
export type NotificationKind = keyof Payloads;
/** A kind's payload as its handler gets it (defaults filled in). */
export type PayloadOf<K extends NotificationKind> = z.output<Payloads[K]>;
/** A kind's payload as a use case writes it (fields with a default may be left out). */
export type PayloadInputOf<K extends NotificationKind> = z.input<Payloads[K]>;

/** A notification as parsed from a claimed prompt. */
export type Notification = { [K in NotificationKind]: { kind: K; payload: PayloadOf<K> } }[NotificationKind];

/** A notification as enqueued: the payload its kind takes (left out for kinds that carry nothing). */
export type NotificationInput = {
  [K in NotificationKind]: undefined extends PayloadInputOf<K>
    ? { kind: K; payload?: PayloadInputOf<K> }
    : { kind: K; payload: PayloadInputOf<K> };
}[NotificationKind];

export const NOTIFICATION_KINDS = Object.keys(payloads) as NotificationKind[];

function memberOf<K extends NotificationKind>(kind: K) {
  return z.object({ kind: z.literal(kind), payload: payloads[kind] });
}

/** Every kind's `{ kind, payload }`, told apart by `kind`. */
type Members = { [K in NotificationKind]: ReturnType<typeof memberOf<K>> }[NotificationKind];
export const notificationSchema: z.ZodType<Notification, NotificationInput> = z.discriminatedUnion(
  'kind',
  NOTIFICATION_KINDS.map(memberOf) as [Members, ...Members[]],
);

export function isNotificationKind(kind: string): kind is NotificationKind {
  return Object.hasOwn(payloads, kind);
}

/** A zod error in one line, paths relative to the payload: `giveId: Invalid input: expected string…`. */
function summary(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.slice(1).map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * A stored prompt's kind and payload as a notification, or why not: an unknown kind, or a payload its
 * kind does not take (`invalid give_dm payload: giveId: …`). A missing payload reads as `{}`.
 */
export function parseNotification(
  kind: string,
  payload: unknown,
): { ok: true; notification: Notification } | { ok: false; error: string } {
  if (!isNotificationKind(kind)) return { ok: false, error: `unknown prompt kind ${kind}` };
  const parsed = notificationSchema.safeParse({ kind, payload: payload ?? {} });
  return parsed.success
    ? { ok: true, notification: parsed.data }
    : { ok: false, error: `invalid ${kind} payload: ${summary(parsed.error)}` };
}
