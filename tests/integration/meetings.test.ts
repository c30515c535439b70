import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zonedParts } from '../../src/domain/schedule/index.ts';
import { TestClock } from '../support/clock.ts';
import { USER_IDS } from '../support/fake-workspace.ts';
import { intro, inviteFor, seedMembers } from '../support/intro-world.ts';
import { inviteWeave, seedPairingChannel, waitUntil } from '../support/scenarios.ts';
import { slackEvents } from '../support/signer.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

const clock = new TestClock('2026-11-25T12:00:00Z');
const FIRST_ROUND = '2026-11-30T09:00:00Z';
const MINUTE = 60_000;
let world: TestWorld;

beforeAll(async () => {
  world = await startWorld({ clock });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  clock.set('2026-11-25T12:00:00Z');
});

const deliver = () => world.app.scheduler.run('deliver');
const prisma = () => world.db.prisma;

interface Button {
  action_id: string;
  value: string;
}
type Block = { type: string; text?: { text: string }; accessory?: Button; elements?: Button[] };

const blocksOf = (m: { blocks?: unknown[] }) => (m.blocks ?? []) as Block[];
const textOf = (m: { text: string; blocks?: unknown[] }) =>
  [m.text, ...blocksOf(m).map((b) => b.text?.text ?? '')].join('\n');

/** The "Works for me" buttons of a message, with each slot's start. */
function slotButtons(m: { blocks?: unknown[] }): Array<Button & { at: Date }> {
  return blocksOf(m)
    .map((b) => b.accessory)
    .filter((a): a is Button => a?.action_id === 'meeting_pick')
    .map((a) => ({ ...a, at: new Date(Number(a.value.split('|')[1]) * 1000) }));
}

/** Mon–Fri 09:00–17:00 in `tz` (the default working hours), for the whole 30 minutes from `at`. */
function insideDefaultHours(at: Date, tz: string): boolean {
  const start = zonedParts(at, tz);
  const end = zonedParts(new Date(at.getTime() + 30 * MINUTE), tz);
  const s = start.hour * 60 + start.minute;
  const e = end.hour * 60 + end.minute;
  return start.weekday <= 5 && end.day === start.day && s >= 9 * 60 && e <= 17 * 60;
}

/** Whether the zones share any default working half hour in the next two weeks (checked independently). */
function shareHours(tzs: string[], from: Date): boolean {
  for (let t = from.getTime(); t < from.getTime() + 14 * 86_400_000; t += 30 * MINUTE) {
    if (tzs.every((tz) => insideDefaultHours(new Date(t), tz))) return true;
  }
  return false;
}

function click(userId: string, actionId: string, value: string, channelId: string) {
  return world.slack.blockAction({ userId, actionId, value, channelId, messageTs: '1700000000.000100' });
}

describe('meetings that happen', () => {
  it('a round of 9 suggests times inside everyone’s hours; one pick each → one "You\'re set" with a calendar file; the check-in comes after the meeting, once', async () => {
    seedPairingChannel(world, 9, ['Engineering', 'Sales', 'Design']);
    await inviteWeave(world);
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    await deliver();

    const groups = await prisma().group.findMany({ include: { members: true } });
    expect(groups).toHaveLength(4);
    const tzOf = new Map(
      (await prisma().member.findMany({ select: { userId: true, tz: true } })).map((m) => [m.userId, m.tz]),
    );
    let withSlots: { group: (typeof groups)[number]; buttons: Array<Button & { at: Date }> } | null = null;
    for (const group of groups) {
      const intro = world.fake.messagesIn(group.conversationId as string)[0];
      expect(intro, 'every group got its intro').toBeDefined();
      const tzs = group.members.map((m) => tzOf.get(m.userId) as string);
      const buttons = slotButtons(intro as { blocks?: unknown[] });
      if (shareHours(tzs, new Date(FIRST_ROUND))) {
        expect(buttons.length, `slots for ${tzs.join(' + ')}`).toBeGreaterThanOrEqual(2);
        for (const b of buttons) {
          expect(b.at.getTime()).toBeGreaterThan(clock.now().getTime());
          for (const tz of tzs)
            expect(insideDefaultHours(b.at, tz), `${b.at.toISOString()} in ${tz}`).toBe(true);
          // Each reader sees their own local time: Slack's date token with a fallback.
          expect(textOf(intro as { text: string; blocks?: unknown[] })).toContain(
            `<!date^${b.at.getTime() / 1000}^{date_short_pretty} {time}|`,
          );
        }
        if (!withSlots) withSlots = { group, buttons };
      } else {
        expect(buttons).toHaveLength(0);
        expect(textOf(intro as { text: string; blocks?: unknown[] })).toMatch(/Start asynchronously/);
      }
    }
    expect(withSlots, 'at least one group shares working hours').not.toBeNull();
    const { group, buttons } = withSlots as NonNullable<typeof withSlots>;
    const conversation = group.conversationId as string;
    const chosen = buttons[buttons.length - 1] as Button & { at: Date };
    const before = await prisma().prompt.findFirstOrThrow({ where: { kind: 'checkin', groupId: group.id } });

    // Every member says the same slot works; the first click reaches Weave twice (a Slack retry).
    const [first, ...others] = group.members.map((m) => m.userId) as [string, ...string[]];
    const firstClick = click(first, 'meeting_pick', chosen.value, conversation);
    for (let i = 0; i < 2; i++) {
      const res = await world.slack.action(firstClick);
      expect(res.status).toBe(200);
    }
    await waitUntil(async () => {
      const m = await prisma().groupMember.findUniqueOrThrow({
        where: { groupId_userId: { groupId: group.id, userId: first } },
      });
      return m.pickedSlot?.getTime() === chosen.at.getTime();
    });
    expect((await prisma().group.findUniqueOrThrow({ where: { id: group.id } })).meetingAt).toBeNull();
    for (const userId of others) {
      const res = await world.slack.action(click(userId, 'meeting_pick', chosen.value, conversation));
      expect(res.status).toBe(200);
    }
    await waitUntil(
      async () =>
        (await prisma().group.findUniqueOrThrow({ where: { id: group.id } })).meetingAt?.getTime() ===
        chosen.at.getTime(),
    );
    const setMessages = () =>
      world.fake.messagesIn(conversation).filter((m) => textOf(m).includes("You're set for"));
    await waitUntil(async () => {
      await deliver();
      return setMessages().length >= 1;
    });
    await deliver();
    expect(setMessages()).toHaveLength(1);
    const set = textOf(setMessages()[0] as { text: string; blocks?: unknown[] });
    expect(set).toContain(`<!date^${chosen.at.getTime() / 1000}^`);
    expect(set).toContain('https://calendar.google.com/calendar/render?');

    // The .ics link serves the meeting as a calendar file.
    const link = /<([^|>]+\/meetings\/calendar\.ics\?t=[^|>]+)\|Add to calendar>/.exec(set)?.[1];
    expect(link).toBeDefined();
    const { pathname, search } = new URL(link as string);
    const ics = await fetch(`${world.url}${pathname}${search}`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const file = await ics.text();
    const stamp = chosen.at
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
      .replace(/[-:]/g, '');
    expect(file).toContain(`DTSTART:${stamp}`);
    expect(file).toContain('BEGIN:VEVENT');
    expect(file).toContain(conversation);
    // A tampered link serves nothing.
    const bad = await fetch(`${world.url}${pathname}${search.slice(0, -2)}xx`);
    expect(bad.status).toBe(403);

    // The check-in now comes after the agreed meeting (not halfway through the round), and only once.
    const checkin = await prisma().prompt.findFirstOrThrow({ where: { kind: 'checkin', groupId: group.id } });
    expect(checkin.dueAt.getTime()).toBeGreaterThan(chosen.at.getTime() + 30 * MINUTE);
    expect(checkin.dueAt.getTime()).not.toBe(before.dueAt.getTime());
    for (const tz of group.members.map((m) => tzOf.get(m.userId) as string)) {
      const p = zonedParts(checkin.dueAt, tz);
      expect(p.weekday).toBeLessThanOrEqual(5);
      expect(p.hour * 60 + p.minute).toBeGreaterThanOrEqual(9 * 60);
      expect(p.hour).toBeLessThan(17);
    }
    const checkIns = () => world.fake.messagesIn(conversation).filter((m) => m.text.includes('Have you met'));
    clock.set(new Date(chosen.at.getTime() - MINUTE));
    await deliver();
    expect(checkIns()).toHaveLength(0);
    clock.set(checkin.dueAt);
    await deliver();
    expect(checkIns()).toHaveLength(1);
    clock.set(new Date(checkin.dueAt.getTime() + 7 * 86_400_000));
    await deliver();
    expect(checkIns()).toHaveLength(1);
  });

  it('"None of these work" offers three more times once, on other days', async () => {
    seedPairingChannel(world, 2, ['Engineering', 'Sales']);
    await inviteWeave(world);
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    await deliver();
    const group = await prisma().group.findFirstOrThrow({ include: { members: true } });
    const conversation = group.conversationId as string;
    const intro = world.fake.messagesIn(conversation)[0] as { blocks?: unknown[] };
    const firstSlots = slotButtons(intro);
    expect(firstSlots.length).toBeGreaterThanOrEqual(2);
    const [a, b] = group.members.map((m) => m.userId) as [string, string];
    await world.slack.action(click(a, 'meeting_none', group.id, conversation));
    await waitUntil(
      async () => (await prisma().group.findUniqueOrThrow({ where: { id: group.id } })).moreSlotsOffered,
    );
    await world.slack.action(click(b, 'meeting_none', group.id, conversation));
    const more = () => world.fake.messagesIn(conversation).filter((m) => m.text.includes('Three more times'));
    await waitUntil(async () => {
      await deliver();
      return more().length >= 1;
    });
    await deliver();
    expect(more()).toHaveLength(1);
    const moreSlots = slotButtons(more()[0] as { blocks?: unknown[] });
    expect(moreSlots.length).toBeGreaterThanOrEqual(2);
    const firstTimes = new Set(firstSlots.map((s) => s.at.getTime()));
    for (const s of moreSlots) expect(firstTimes.has(s.at.getTime())).toBe(false);
  });

  it('an intro Slack turned away once shows, when retried a day later, the times it first offered', async () => {
    seedPairingChannel(world, 2, ['Engineering', 'Sales']);
    await inviteWeave(world);
    await deliver(); // the program's welcome
    world.fake.failNext('chat.postMessage', { status: 503 }, 1);
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    await deliver();
    const held = await prisma().group.findFirstOrThrow();
    expect(held.deliveredAt).toBeNull();
    const offered = (held.slots as string[]).map((s) => new Date(s).getTime());
    expect(offered.length).toBeGreaterThanOrEqual(2);

    clock.advance(86_400_000);
    await deliver();
    const group = await prisma().group.findFirstOrThrow();
    expect(group.deliveredAt).not.toBeNull();
    const [intro, ...more] = world.fake.messagesIn(group.conversationId as string);
    expect(more).toHaveLength(0);
    expect(slotButtons(intro as { blocks?: unknown[] }).map((b) => b.at.getTime())).toEqual(offered);
  });

  it('working hours saved in the profile shape the suggested times and show on Home', async () => {
    const [a] = seedPairingChannel(world, 2, ['Engineering', 'Sales']) as [string, string];
    await inviteWeave(world);
    const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });
    const res = await world.slack.action(
      world.slack.viewSubmission({
        userId: a,
        callbackId: 'profile_modal',
        values: {
          profile_work_days: {
            profile_work_days: { type: 'checkboxes', selected_options: [option('1'), option('2')] },
          },
          profile_work_start: {
            profile_work_start: { type: 'static_select', selected_option: option('900') },
          },
          profile_work_end: { profile_work_end: { type: 'static_select', selected_option: option('1020') } },
        },
      }),
    );
    expect(res.status).toBe(200);
    await waitUntil(
      async () =>
        ((await prisma().member.findFirst({ where: { userId: a } }))?.workingHours ?? null) !== null,
    );
    const tzA = (await prisma().member.findFirstOrThrow({ where: { userId: a } })).tz;
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    await deliver();
    const group = await prisma().group.findFirstOrThrow();
    const intro = world.fake.messagesIn(group.conversationId as string)[0] as {
      text: string;
      blocks?: unknown[];
    };
    expect(slotButtons(intro).length).toBeGreaterThanOrEqual(2);
    for (const b of slotButtons(intro)) {
      const p = zonedParts(b.at, tzA);
      expect([1, 2]).toContain(p.weekday);
      expect(p.hour * 60 + p.minute).toBeGreaterThanOrEqual(15 * 60);
      expect(p.hour * 60 + p.minute + 30).toBeLessThanOrEqual(17 * 60);
    }

    await world.slack.event(slackEvents.appHomeOpened(a));
    const published = await world.fake.waitFor('views.publish', (args) =>
      JSON.stringify(args.view).includes('Working hours'),
    );
    const home = JSON.stringify(published.args.view);
    expect(home).toContain('Mon, Tue 15:00–17:00');
    expect(home).toContain('times agreed 0');
  });

  it('an /intro introduction suggests times for the two people introduced', async () => {
    const { anna, ben, marcus } = USER_IDS; // Berlin introduces New York and Berlin
    await seedMembers(world, [anna, ben, marcus]);
    const made = await intro(world, anna, `<@${ben}> <@${marcus}> you both build data pipelines`);
    expect(made.status).toBe(200);
    await waitUntil(async () => {
      await deliver();
      return (await prisma().prompt.count({ where: { kind: 'intro_invite', status: 'sent' } })) === 2;
    });
    for (const userId of [ben, marcus]) {
      const res = await world.slack.action(
        click(
          userId,
          'intro_accept',
          inviteFor(world, userId).introId,
          world.fake.conversationIdFor([userId]),
        ),
      );
      expect(res.status).toBe(200);
    }
    const dm = world.fake.conversationIdFor([anna, ben, marcus]);
    await waitUntil(async () => {
      await deliver();
      return world.fake.messagesIn(dm).length > 0;
    });
    const buttons = slotButtons(world.fake.messagesIn(dm)[0] as { blocks?: unknown[] });
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    for (const b of buttons) {
      expect(insideDefaultHours(b.at, 'America/New_York')).toBe(true);
      expect(insideDefaultHours(b.at, 'Europe/Berlin')).toBe(true);
    }
  });
});
