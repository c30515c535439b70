import type { HomeView, KnownBlock } from '@slack/types';
import { GIVE_KIND_INFO, isGiveKind } from '../../domain/gives/kinds.ts';
import { escapeText, truncate } from '../../domain/text/index.ts';
import type { HomeData } from '../../services/home.ts';
import { ACTIONS } from '../ids.ts';

const MAX_BLOCKS = 100;
const dateOf = (d: Date) =>
  `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} at {time}|${d.toISOString().slice(0, 16)}Z>`;
const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, 3000) },
});

/** A tiny text bar: ▰▰▰▱▱ for 3 of 5. */
export function bar(value: number, total: number, width = 10): string {
  if (total <= 0) return '▱'.repeat(width);
  const filled = Math.round((Math.min(value, total) / total) * width);
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

/** The member's App Home: next round, current group, network, gives, intros and their controls. */
export function buildMemberHome(d: HomeData, extra: KnownBlock[] = []): HomeView {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Your Weave' } }];
  if (d.status.kind === 'paused') {
    blocks.push(
      section(
        `:double_vertical_bar: You're paused${d.status.pausedUntil ? ` until ${dateOf(d.status.pausedUntil)}` : ''}.`,
      ),
    );
  } else if (d.status.kind === 'auto_paused') {
    blocks.push(section(':zzz: We paused your intros after a few quiet rounds. Resume whenever you like.'));
  } else if (d.status.kind === 'opted_out') {
    blocks.push(section('You left Weave. Use `/intro resume` to come back.'));
  }
  if (d.programs.length === 0) {
    blocks.push(
      section(
        'You are not in a pairing channel yet. Join one (ask your admin which) and you will be introduced to someone from another team in the next round.',
      ),
    );
  } else {
    const lines = d.programs.map(
      (p) =>
        `• <#${p.channelId}>: next round ${dateOf(p.nextRoundAt)}${d.status.skipping ? ' (you skip it)' : ''}`,
    );
    blocks.push(section(`*Next rounds*\n${lines.join('\n')}`));
  }
  if (d.currentGroup) {
    const who = d.currentGroup.partnerIds.map((id) => `<@${id}>`).join(', ');
    const status =
      {
        pending: 'not met yet',
        met: 'met :white_check_mark:',
        not_yet: 'planning to meet',
        not_happening: 'not happening',
      }[d.currentGroup.status] ?? d.currentGroup.status;
    blocks.push(section(`*Current intro:* ${who} — ${status}`));
  } else if (d.isNew) {
    blocks.push(
      section(
        ':seedling: *Welcome!* Your first intro comes with the next round: someone from another department, with a line on why you two. Tell Weave what you can help with in your profile so people find you.',
      ),
    );
  }
  const n = d.network;
  blocks.push(
    section(
      `*Your network*\nYou've met *${n.peopleMet}* ${n.peopleMet === 1 ? 'person' : 'people'} and reached *${n.departmentsReached}* of ${n.departmentsTotal} other departments.\n\`${bar(n.departmentsReached, n.departmentsTotal)}\``,
    ),
  );
  const giveLine = (kind: string, who: string, reason: string) => {
    const info = isGiveKind(kind) ? GIVE_KIND_INFO[kind] : GIVE_KIND_INFO.help;
    return `• ${info.emoji} ${who}: ${truncate(escapeText(reason), 140)}`;
  };
  blocks.push(
    section(
      `*Gives received*\n${d.givesReceived.length ? d.givesReceived.map((g) => giveLine(g.kind, `from <@${g.fromId}>`, g.reason)).join('\n') : 'None yet — they will show here.'}`,
    ),
  );
  blocks.push(
    section(
      `*Gives sent*\n${d.givesSent.length ? d.givesSent.map((g) => giveLine(g.kind, g.toId ? `to <@${g.toId}>` : 'to someone who left', g.reason)).join('\n') : 'None yet. Thank someone with `/give @person reason`.'}`,
    ),
  );
  if (d.meetings) {
    blocks.push(section(`*Your intros:* met ${d.meetings.met} · times agreed ${d.meetings.agreed}`));
  }
  blocks.push(section(`*Intros you made:* ${d.intros.made} · led to a meeting: ${d.intros.met}`));
  if (d.workingHours) {
    blocks.push(
      section(
        `*Working hours:* ${escapeText(d.workingHours.text)} (${escapeText(d.workingHours.tz)}). Weave suggests meeting times and sends its messages inside them; change them with *Edit profile*.`,
      ),
    );
  }
  const paused = d.status.kind !== 'active';
  blocks.push({
    type: 'actions',
    elements: [
      { type: 'button', action_id: ACTIONS.openProfile, text: { type: 'plain_text', text: 'Edit profile' } },
      paused
        ? {
            type: 'button',
            action_id: ACTIONS.resume,
            style: 'primary',
            text: { type: 'plain_text', text: 'Resume intros' },
          }
        : {
            type: 'button',
            action_id: ACTIONS.pauseToggle,
            text: { type: 'plain_text', text: 'Pause 2 weeks' },
          },
      { type: 'button', action_id: ACTIONS.skip, text: { type: 'plain_text', text: 'Skip next round' } },
      { type: 'button', action_id: ACTIONS.exportData, text: { type: 'plain_text', text: 'Export my data' } },
    ],
  });
  const all = [...blocks, ...extra];
  return { type: 'home', blocks: all.slice(0, MAX_BLOCKS) };
}
