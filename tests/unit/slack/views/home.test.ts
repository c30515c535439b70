import type { HomeView, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  buildConnectionMatrix,
  buildHeatmap,
  leastConnectedPairs,
  type Meeting,
  type NetworkPerson,
  summariseRound,
} from '../../../../src/domain/network/index.ts';
import type { HomeData } from '../../../../src/services/home.ts';
import type { ProgramRow } from '../../../../src/services/rounds.ts';
import type { AdminHomeData } from '../../../../src/services/stats.ts';
import { ACTIONS } from '../../../../src/slack/ids.ts';
import {
  buildAdminHome,
  describeDuration,
  describeProgress,
  HEAT,
  HOME_BLOCK_LIMIT,
  heatmapText,
} from '../../../../src/slack/views/admin-home.ts';
import { buildMemberHome } from '../../../../src/slack/views/home.ts';
import { validateView } from '../../../support/fake-slack.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
const window = { from: new Date(NOW.getTime() - 90 * 86_400_000), to: NOW };
const LONG = `Research & Development <Platform> @here Infrastructure and Reliability 🧑‍💻 ${'x'.repeat(300)}`;

/** Every text a view would show (section texts and fields, context, headers, buttons). */
function texts(blocks: unknown[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      for (const [k, child] of Object.entries(o)) if (k !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk(blocks);
  return out;
}

/** The blocks of a view built by Weave's builders (always known block types). */
const known = (view: HomeView) => view.blocks as KnownBlock[];

/** Slack's limits beyond what the fake's validator checks: context texts, button URLs. */
function extraLimitProblems(blocks: KnownBlock[]): string[] {
  const problems: string[] = [];
  for (const b of blocks) {
    if (b.type === 'context' && b.elements.length > 10) problems.push('context with more than 10 elements');
    if (b.type === 'context')
      for (const e of b.elements)
        if ('text' in e && e.text.length > 3000) problems.push('context text > 3000');
    const json = JSON.stringify(b);
    for (const m of json.matchAll(/"url":"([^"]*)"/g))
      if ((m[1] ?? '').length > 3000) problems.push('url > 3000');
  }
  return problems;
}

function memberData(overrides: Partial<HomeData> = {}): HomeData {
  return {
    userId: 'U0ANNA',
    status: { kind: 'active', pausedUntil: null, skipping: false },
    programs: [{ channelId: 'C0PAIRS', nextRoundAt: new Date('2026-11-30T09:00:00Z') }],
    currentGroup: { groupId: 'g1', partnerIds: ['U0BEN'], status: 'pending', conversationId: 'G1' },
    network: { peopleMet: 12, departmentsReached: 4, departmentsTotal: 7 },
    givesReceived: [{ fromId: 'U0BEN', kind: 'help', reason: 'debugging the deploy', at: NOW }],
    givesSent: [{ toId: 'U0MAIA', kind: 'mentoring', reason: 'design review', at: NOW }],
    intros: { made: 3, met: 2 },
    isNew: false,
    ...overrides,
  };
}

function program(i: number, overrides: Partial<ProgramRow> = {}): ProgramRow {
  const row = {
    id: `program-${i}`,
    workspaceId: 'T0WEAVE1',
    channelId: `C0P${String(i).padStart(4, '0')}`,
    cadence: 'weekly',
    weekday: 1,
    hour: 10,
    tz: 'Europe/Berlin',
    groupSize: 2,
    repeatWindow: 12,
    headsUp: true,
    recap: true,
    allowGuests: false,
    active: true,
    anchor: NOW,
    createdBy: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
  // A fixture standing in for a database row (the generated type may gain columns other features add).
  return row as ProgramRow;
}

/** Admin data over `departments` departments of `perDepartment` people, every neighbour pair connected. */
function adminData(opts: {
  departments: number;
  programs: number;
  name?: (i: number) => string;
}): AdminHomeData {
  const name = opts.name ?? ((i: number) => `Department ${i}`);
  const people: NetworkPerson[] = [];
  for (let d = 0; d < opts.departments; d += 1)
    for (let p = 0; p < 4; p += 1) people.push({ id: `U${d}X${p}`, department: name(d), active: true });
  const meetings: Meeting[] = [];
  for (let d = 0; d + 1 < opts.departments; d += 1) {
    meetings.push({ members: [`U${d}X0`, `U${d + 1}X1`], at: new Date(NOW.getTime() - 1000) });
    if (d % 2 === 0)
      meetings.push({ members: [`U${d}X2`, `U${d + 1}X3`], at: new Date(NOW.getTime() - 2000) });
  }
  const matrix = buildConnectionMatrix({ people, meetings, gives: [], window });
  const rounds = [3, 2, 1].map((n) =>
    summariseRound({
      id: `r${n}`,
      number: n,
      at: NOW,
      status: 'delivered',
      groups: Array.from({ length: 20 }, (_, g) => ({
        members: [`A${n}-${g}`, `B${n}-${g}`],
        delivered: true,
        met: g % 3 !== 0,
      })),
    }),
  );
  return {
    departments: { source: 'a custom profile field', departments: opts.departments, unknown: 3 },
    programs: Array.from({ length: opts.programs }, (_, i) => ({
      program: program(i),
      nextRoundAt: new Date('2026-11-30T09:00:00Z'),
      rounds,
      delivering:
        i === 0 ? { roundNumber: 4, sent: 1240, total: 5000, failed: 0, remainingMs: 40 * 60_000 } : null,
    })),
    heatmap: buildHeatmap(matrix, { limit: 8 }),
    leastConnected: leastConnectedPairs(matrix, { count: 5 }),
    windowDays: 90,
  };
}

/** What the Home service publishes for an admin: member part plus admin section within the limit. */
function adminHome(
  member: HomeData,
  admin: AdminHomeData,
  url = 'https://weave.example/dashboard?t=abc.def',
) {
  const memberBlocks = buildMemberHome(member).blocks.length;
  return buildMemberHome(
    member,
    buildAdminHome(admin, { dashboardUrl: url, maxBlocks: HOME_BLOCK_LIMIT - memberBlocks }),
  );
}

describe('member Home', () => {
  it('shows the next round, the current intro, the network, gives, intros and the controls', () => {
    const view = buildMemberHome(memberData());
    expect(validateView(view, 'home')).toEqual([]);
    const all = texts(view.blocks).join('\n');
    expect(all).toContain('<#C0PAIRS>');
    expect(all).toContain('<@U0BEN>');
    expect(all).toContain("You've met *12* people and reached *4* of 7 other departments");
    expect(all).toContain('Intros you made:* 3 · led to a meeting: 2');
    const actions = known(view)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements);
    expect(actions.map((e) => ('action_id' in e ? e.action_id : ''))).toEqual([
      ACTIONS.openProfile,
      ACTIONS.pauseToggle,
      ACTIONS.skip,
      ACTIONS.exportData,
    ]);
    expect(JSON.stringify(view)).not.toContain(ACTIONS.openDashboard);
  });

  it('explains what happens next to a new member', () => {
    const view = buildMemberHome(
      memberData({
        isNew: true,
        currentGroup: null,
        programs: [],
        network: { peopleMet: 0, departmentsReached: 0, departmentsTotal: 0 },
        givesReceived: [],
        givesSent: [],
        intros: { made: 0, met: 0 },
      }),
    );
    expect(validateView(view, 'home')).toEqual([]);
    const all = texts(view.blocks).join('\n');
    expect(all).toContain('not in a pairing channel yet');
    expect(all).toContain('Your first intro comes with the next round');
    expect(all).toContain('None yet');
  });

  it('stays within Slack limits with large data (many programs, long gives)', () => {
    const long = 'A very long thank-you '.repeat(200);
    const view = buildMemberHome(
      memberData({
        programs: Array.from({ length: 300 }, (_, i) => ({
          channelId: `C${String(i).padStart(8, '0')}`,
          nextRoundAt: NOW,
        })),
        currentGroup: { groupId: 'g', partnerIds: ['U1', 'U2'], status: 'met', conversationId: null },
        network: { peopleMet: 4999, departmentsReached: 499, departmentsTotal: 500 },
        givesReceived: Array.from({ length: 5 }, () => ({
          fromId: 'U1',
          kind: 'feedback',
          reason: long,
          at: NOW,
        })),
        givesSent: Array.from({ length: 5 }, () => ({ toId: null, kind: 'nonsense', reason: long, at: NOW })),
      }),
    );
    expect(validateView(view, 'home')).toEqual([]);
    expect(extraLimitProblems(known(view))).toEqual([]);
  });
});

describe('admin Home', () => {
  it('adds programs with an edit button, last rounds, the heatmap, least-connected pairs and the dashboard link', () => {
    const view = adminHome(memberData(), adminData({ departments: 5, programs: 2 }));
    expect(validateView(view, 'home')).toEqual([]);
    const json = JSON.stringify(view);
    const dashboard = known(view)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements)
      .find((e) => 'action_id' in e && e.action_id === ACTIONS.openDashboard);
    expect(dashboard).toMatchObject({ type: 'button', url: 'https://weave.example/dashboard?t=abc.def' });
    const edits = known(view).filter(
      (b) =>
        b.type === 'section' &&
        b.accessory &&
        'action_id' in b.accessory &&
        b.accessory.action_id === ACTIONS.openSettings,
    );
    expect(edits).toHaveLength(2);
    expect(
      edits.map((b) =>
        b.type === 'section' && b.accessory && 'value' in b.accessory ? b.accessory.value : '',
      ),
    ).toEqual(['program-0', 'program-1']);
    const all = texts(view.blocks).join('\n');
    expect(all).toContain('Every week on Monday at 10:00 (Europe/Berlin)');
    expect(all).toContain('weekly recap on');
    expect(all).toContain('Round 3: 40 people in 20 groups, 13 of 20 met (65%)');
    expect(all).toContain('1,240 of 5,000 intros sent, about 40 min left');
    expect(all).toContain('Who connects with whom');
    expect(all).toContain('Least-connected departments');
    expect(json).not.toContain('undefined');
  });

  it('draws the heatmap as emoji rows with a keycap per column', () => {
    const h = adminData({ departments: 3, programs: 0 }).heatmap;
    const lines = heatmapText(h).split('\n');
    expect(lines[0]).toBe('1️⃣2️⃣3️⃣');
    expect(lines).toHaveLength(4);
    // Department 1 sits between 0 (two pairs met: 4 people, shown) and 2 (one pair: 2 people, hidden).
    expect(lines.find((l) => l.includes('Department 1'))).toBe(
      `${HEAT.high}${HEAT.none}${HEAT.hidden}  2️⃣ Department 1 (4)`,
    );
    expect(lines.find((l) => l.includes('Department 0'))).toBe(
      `${HEAT.none}${HEAT.high}${HEAT.none}  1️⃣ Department 0 (4)`,
    );
  });

  it('stays within 100 blocks and text limits with 500 departments, long names and many programs', () => {
    for (const programs of [0, 1, 30, 200]) {
      const view = adminHome(
        memberData({
          givesReceived: Array.from({ length: 5 }, () => ({
            fromId: 'U1',
            kind: 'help',
            reason: LONG,
            at: NOW,
          })),
        }),
        adminData({ departments: 500, programs, name: (i) => `${LONG} ${i}` }),
      );
      expect(validateView(view, 'home')).toEqual([]);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      expect(extraLimitProblems(known(view))).toEqual([]);
      const all = texts(view.blocks).join('\n');
      // User-typed department names are escaped and never notify.
      expect(all).not.toContain('<Platform>');
      expect(all).not.toMatch(/(^|[^\u200B])@here/);
      // The dashboard button and the heatmap always make it in.
      expect(JSON.stringify(view)).toContain(ACTIONS.openDashboard);
      expect(all).toContain('Who connects with whom');
      expect(all).toContain('the 8 largest of 500 departments');
      if (programs > 20) expect(all).toMatch(/…and \d+ more programs/);
    }
  });

  it('fits into whatever room the member part leaves', () => {
    const admin = adminData({ departments: 20, programs: 200 });
    for (const maxBlocks of [0, 1, 3, 6, 10, 50]) {
      const blocks = buildAdminHome(admin, { dashboardUrl: 'https://x.example/d', maxBlocks });
      expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
    }
  });

  it('says so when there is nothing to show yet', () => {
    const empty: AdminHomeData = {
      departments: { source: 'each person’s title', departments: 0, unknown: 0 },
      programs: [],
      heatmap: buildHeatmap(buildConnectionMatrix({ people: [], meetings: [], gives: [], window }), {
        limit: 8,
      }),
      leastConnected: [],
      windowDays: 90,
    };
    const view = adminHome(memberData(), empty);
    expect(validateView(view, 'home')).toEqual([]);
    const all = texts(view.blocks).join('\n');
    expect(all).toContain('No pairing channel yet');
    expect(all).toContain('Not enough to show yet');
  });

  it('describes delivery progress and durations in words', () => {
    expect(describeProgress({ sent: 1240, total: 5000, failed: 0, remainingMs: 40 * 60_000 })).toBe(
      '1,240 of 5,000 intros sent, about 40 min left',
    );
    expect(describeProgress({ sent: 0, total: 10, failed: 0, remainingMs: null })).toBe(
      '0 of 10 intros sent',
    );
    expect(describeProgress({ sent: 8, total: 10, failed: 2, remainingMs: 0 })).toBe(
      '8 of 10 intros sent, 2 could not be delivered',
    );
    expect(describeDuration(20_000)).toBe('less than a minute');
    expect(describeDuration(200 * 60_000)).toBe('about 3 h 20 min');
    expect(describeDuration(179 * 60_000)).toBe('about 3 h');
  });
});
