// What a give recognises: the five kinds of giving Weave records, with `help` as the default.
import { z } from 'zod';

/** Every give kind, in the order they are listed to people. */
export const GIVE_KINDS = ['expertise', 'intro', 'help', 'mentoring', 'feedback'] as const;

/** What someone gave: shared expertise, an introduction, help, mentoring or feedback. */
export type GiveKind = (typeof GIVE_KINDS)[number];

/** The kind recorded when none is given. */
export const DEFAULT_GIVE_KIND: GiveKind = 'help';

/** Zod schema for a stored or submitted give kind. */
export const giveKindSchema = z.enum(GIVE_KINDS);

/** How each kind reads in shoutouts and digests. */
export const GIVE_KIND_INFO: Readonly<Record<GiveKind, { label: string; emoji: string }>> = {
  expertise: { label: 'shared expertise', emoji: ':bulb:' },
  intro: { label: 'an introduction', emoji: ':handshake:' },
  help: { label: 'help', emoji: ':raised_hands:' },
  mentoring: { label: 'mentoring', emoji: ':seedling:' },
  feedback: { label: 'feedback', emoji: ':speech_balloon:' },
};

const ALIASES: Readonly<Record<string, GiveKind>> = {
  expert: 'expertise',
  introduction: 'intro',
  introductions: 'intro',
  intros: 'intro',
  mentor: 'mentoring',
  mentorship: 'mentoring',
};

/** True when `value` is one of the five give kinds. */
export function isGiveKind(value: unknown): value is GiveKind {
  return giveKindSchema.safeParse(value).success;
}

/** The kind named by `word` (`#Mentoring`, `help`, `mentor`…), case-insensitive; undefined when unknown. */
export function parseGiveKind(word: string): GiveKind | undefined {
  const name = word.trim().replace(/^#/, '').toLowerCase();
  if (isGiveKind(name)) return name;
  return Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
}

/** The kinds as people type them: "#expertise, #intro, #help, #mentoring or #feedback". */
export function listGiveKinds(): string {
  const tags = GIVE_KINDS.map((k) => `\`#${k}\``);
  return `${tags.slice(0, -1).join(', ')} or ${tags[tags.length - 1]}`;
}
