import type { KnownBlock } from '@slack/types';
import type { Cell, DeliveryProgress, Heatmap, RoundSummary } from '../../domain/network/index.ts';
import { escapeRawText, truncate } from '../../domain/text/index.ts';
import type { AdminHomeData, ProgramOverview } from '../../services/stats.ts';
import { ACTIONS } from '../ids.ts';
import { describeSchedule } from './program-welcome.ts';

/** Slack's limit of blocks in a Home view (member and admin parts together). */
export const HOME_BLOCK_LIMIT = 100;
const SECTION_MAX = 3000;
const CONTEXT_MAX = 2000;
const NAME_MAX = 40;
/** Programs listed in full; more are summarised in one line (each program is one block). */
const PROGRAMS_MAX = 20;

const KEYCAPS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣', '6️⃣', '7️⃣', '8️⃣', '9️⃣', '🔟'];
export const HEAT = { none: '⬜', low: '🟨', mid: '🟧', high: '🟥', hidden: '🔒' } as const;

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, SECTION_MAX) },
});
const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(text, CONTEXT_MAX) }],
});
const dateOf = (d: Date) =>
  `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} at {time}|${d.toISOString().slice(0, 16)}Z>`;
const number = (n: number) => n.toLocaleString('en-US');
/** A department name as typed by people: escaped and short. */
export const departmentLabel = (name: string, max = NAME_MAX) => escapeRawText(truncate(name, max));

/** "about 40 min", "about 3 h 10 min". */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 90) return `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = Math.round((minutes - h * 60) / 10) * 10;
  return m > 0 && m < 60 ? `about ${h} h ${m} min` : `about ${m === 60 ? h + 1 : h} h`;
}

/** "1,240 of 5,000 intros sent, about 40 min left". */
export function describeProgress(p: DeliveryProgress): string {
  const failed = p.failed > 0 ? `, ${number(p.failed)} could not be delivered` : '';
  const left =
    p.remainingMs === null ? '' : p.remainingMs > 0 ? `, ${describeDuration(p.remainingMs)} left` : '';
  return `${number(p.sent)} of ${number(p.total)} intros sent${failed}${left}`;
}

/** One line per round: participation and meet rate (k-anonymous: see summariseRound). */
export function describeRound(r: RoundSummary): string {
  if (r.hidden) return `Round ${r.number}: fewer than 3 people, figures not shown`;
  const people = `${number(r.participants)} people in ${number(r.groups)} groups`;
  if (r.delivered === 0) return `Round ${r.number}: ${people}, intros not sent yet`;
  if (r.meetRate === null || r.met === null)
    return `Round ${r.number}: ${people}, meet rate not shown (too few people met to show it)`;
  return `Round ${r.number}: ${people}, ${number(r.met)} of ${number(r.delivered)} met (${Math.round(r.meetRate * 100)}%)`;
}

function programBlock(o: ProgramOverview): KnownBlock {
  const p = o.program;
  const flags = [
    `groups of ${p.groupSize}`,
    `no repeats within ${p.repeatWindow} rounds`,
    `heads-up ${p.headsUp ? 'on' : 'off'}`,
    `weekly recap ${p.recap ? 'on' : 'off'}`,
    ...(p.allowGuests ? ['guests included'] : []),
  ];
  const lines = [
    `*<#${p.channelId}>*${p.active ? '' : ' (paused)'} · ${describeSchedule(p)}`,
    flags.join(' · '),
    ...(p.active ? [`Next round: ${dateOf(o.nextRoundAt)}`] : []),
    ...(o.delivering
      ? [`:hourglass_flowing_sand: Round ${o.delivering.roundNumber}: ${describeProgress(o.delivering)}`]
      : []),
    ...o.rounds.map((r) => `• ${describeRound(r)}`),
  ];
  if (o.rounds.length === 0) lines.push('• No rounds yet.');
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(lines.join('\n'), SECTION_MAX) },
    accessory: {
      type: 'button',
      action_id: ACTIONS.openSettings,
      value: p.id,
      text: { type: 'plain_text', text: 'Edit settings' },
    },
  };
}

/** The emoji for one heatmap cell, on a scale up to the largest shown count. */
export function heatEmoji(cell: Cell, maxCount: number): string {
  if (cell.status === 'none') return HEAT.none;
  if (cell.status === 'hidden') return HEAT.hidden;
  const ratio = maxCount > 0 ? cell.count / maxCount : 0;
  return ratio > 2 / 3 ? HEAT.high : ratio > 1 / 3 ? HEAT.mid : HEAT.low;
}

/** The department × department heatmap as emoji rows (at most 10 departments: one keycap per column). */
export function heatmapText(h: Heatmap): string {
  const shown = h.departments.slice(0, KEYCAPS.length);
  const header = shown.map((_, i) => KEYCAPS[i]).join('');
  const rows = shown.map((d, i) => {
    const cells = shown.map((_, j) => heatEmoji(h.grid[i]?.[j] ?? { status: 'none' }, h.maxCount)).join('');
    return `${cells}  ${KEYCAPS[i]} ${departmentLabel(d.name)} (${number(d.people)})`;
  });
  return [header, ...rows].join('\n');
}

function heatmapBlocks(h: Heatmap, windowDays: number): KnownBlock[] {
  const title = `*Who connects with whom* (last ${windowDays} days: intros that met and gives)`;
  if (h.departments.length === 0) {
    return [
      section(
        `${title}\nNot enough to show yet: a department appears once it has at least 3 people, and a figure once at least 3 people are behind it.`,
      ),
    ];
  }
  const notes = [
    `${HEAT.none} none · ${HEAT.low} few · ${HEAT.mid} more · ${HEAT.high} most · ${HEAT.hidden} fewer than 3 people, not shown`,
  ];
  if (h.departmentsVisible > h.departments.length)
    notes.push(`the ${h.departments.length} largest of ${number(h.departmentsVisible)} departments`);
  if (h.departmentsHidden > 0)
    notes.push(
      `${number(h.departmentsHidden)} ${h.departmentsHidden === 1 ? 'department' : 'departments'} with fewer than 3 people left out`,
    );
  return [section(`${title}\n${heatmapText(h)}`), context(notes.join(' · '))];
}

/** "never connected", "a few connections", "12 connections". */
export function describePairCell(cell: Cell): string {
  if (cell.status === 'none') return 'never connected';
  if (cell.status === 'hidden') return 'a few connections (fewer than 3 people)';
  return `${number(cell.count)} ${cell.count === 1 ? 'connection' : 'connections'}`;
}

/**
 * The admin section of the App Home: dashboard link, each program's settings with an edit button and its
 * last rounds, the connection heatmap and the least-connected pairs. At most `maxBlocks` blocks.
 */
export function buildAdminHome(
  data: AdminHomeData,
  opts: { dashboardUrl: string | null; maxBlocks: number },
): KnownBlock[] {
  const head: KnownBlock[] = [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Admin: programs and network' } },
  ];
  if (opts.dashboardUrl) {
    head.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.openDashboard,
          url: opts.dashboardUrl,
          style: 'primary',
          text: { type: 'plain_text', text: 'Open the network dashboard' },
        },
      ],
    });
  }
  const d = data.departments;
  const tail: KnownBlock[] = [
    context(
      `Departments come from ${d.source}: ${number(d.departments)} ${d.departments === 1 ? 'department' : 'departments'}, ${number(d.unknown)} ${d.unknown === 1 ? 'person' : 'people'} matched as unknown. Merge, rename or change the source with \`/intro admin departments\`.`,
    ),
    ...heatmapBlocks(data.heatmap, data.windowDays),
  ];
  if (data.leastConnected.length > 0) {
    const lines = data.leastConnected.map(
      (p) => `• ${departmentLabel(p.a)} ↔ ${departmentLabel(p.b)}: ${describePairCell(p.cell)}`,
    );
    tail.push(
      section(`*Least-connected departments* (Weave favours them in the next rounds)\n${lines.join('\n')}`),
    );
  }
  const programs: KnownBlock[] = [];
  if (data.programs.length === 0) {
    programs.push(
      section('*Programs*\nNo pairing channel yet: invite Weave to a channel to start one there.'),
    );
  } else {
    // Programs get the blocks the head and tail leave; when not all fit, one of them says "…and N more".
    const room = Math.max(0, Math.min(PROGRAMS_MAX, opts.maxBlocks - head.length - tail.length));
    const listed = data.programs.length <= room ? data.programs.length : Math.max(0, room - 1);
    programs.push(...data.programs.slice(0, listed).map(programBlock));
    const rest = data.programs.length - listed;
    if (rest > 0) programs.push(context(`…and ${number(rest)} more ${rest === 1 ? 'program' : 'programs'}.`));
  }
  return [...head, ...programs, ...tail].slice(0, Math.max(0, opts.maxBlocks));
}

/** Shown in place of the admin section when its figures could not be read. */
export function buildAdminHomeUnavailable(): KnownBlock[] {
  return [
    { type: 'divider' },
    section(':warning: The admin figures could not be loaded just now. Open the Home tab again in a minute.'),
  ];
}
