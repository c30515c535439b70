// `/intro admin departments`: the departments Weave found, who is matched as unknown, and the controls to
// merge, rename, choose the source and import a CSV; then the summary DM of what changed.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { CSV_MAX_ROWS } from '../../domain/departments-csv.ts';
import { escapeRawText } from '../../domain/text/escape.ts';
import { truncate } from '../../domain/text/truncate.ts';
import type { DepartmentsChange, DepartmentsOverview } from '../../services/departments.ts';
import { INTRO_BLOCKS as B, CALLBACKS } from '../ids.ts';
import { formModal, inputBlock, plainText, textInput } from './inputs.ts';

/** Longest CSV a modal's text input takes (Slack's limit for plain_text_input). */
export const CSV_INPUT_MAX = 3000;
const SECTION_MAX = 2900;
const LISTED_DEPARTMENTS = 60;
const OPTIONS_MAX = 100;

const opt = (text: string, value: string): PlainTextOption => ({
  text: plainText(truncate(text, 75)),
  value: value.slice(0, 150),
});

/** Splits lines into section blocks under Slack's text limit. */
function sections(lines: string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + line.length + 1 > SECTION_MAX) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return blocks;
}

/** The source dropdown's value for the current settings. */
function sourceValue(o: DepartmentsOverview): string {
  return o.source.kind === 'field' ? 'field:auto' : o.source.kind;
}

/** The departments modal. */
export function buildDepartmentsModal(o: DepartmentsOverview): ModalView {
  const n = o.departments.length;
  const listed = o.departments.slice(0, LISTED_DEPARTMENTS).map((d) => {
    const also = d.spellings.filter((s) => s !== d.name).slice(0, 5);
    const spellings =
      also.length > 0 ? ` (also spelled ${also.map((s) => `“${escapeRawText(s)}”`).join(', ')})` : '';
    return `• *${escapeRawText(d.name)}*: ${d.members} ${d.members === 1 ? 'person' : 'people'}${spellings}`;
  });
  if (n > LISTED_DEPARTMENTS) listed.push(`…and ${n - LISTED_DEPARTMENTS} more.`);
  const unknownPeople = o.unknown.userIds.map((id) => `<@${id}>`).join(', ');
  const more = o.unknown.count - o.unknown.userIds.length;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Departments come from ${escapeRawText(o.source.label)}.* ${n} ${n === 1 ? 'department' : 'departments'}; ${o.unknown.count} ${o.unknown.count === 1 ? 'person is' : 'people are'} matched as unknown. Spellings that differ only in case, spaces, punctuation or accents already count as one.`,
      },
    },
    ...sections(listed.length > 0 ? listed : ['_No departments yet._']),
  ];
  if (o.unknown.count > 0) {
    blocks.push(
      ...sections([
        `*Matched as unknown (no department):* ${unknownPeople}${more > 0 ? ` and ${more} more` : ''}. Fix their profile, or pick another source below.`,
      ]),
    );
  }
  blocks.push({ type: 'divider' });
  const departmentOptions = o.departments
    .slice(0, OPTIONS_MAX)
    .map((d) => opt(`${d.name} (${d.members})`, d.key));
  if (departmentOptions.length > 0) {
    blocks.push(
      inputBlock(
        B.departmentsMergeFrom,
        'Merge or rename these departments',
        {
          type: 'multi_static_select',
          options: departmentOptions,
          placeholder: plainText('Pick departments'),
        },
        { optional: true, hint: 'Pick one to rename it, or several to merge them.' },
      ),
      textInput(B.departmentsMergeInto, '…into this name', {
        optional: true,
        maxLength: 80,
        placeholder: 'e.g. Engineering',
      }),
    );
  }
  if (o.merges.length > 0) {
    blocks.push(
      inputBlock(
        B.departmentsUnmerge,
        'Undo a merge or rename',
        {
          type: 'static_select',
          options: o.merges.slice(0, OPTIONS_MAX).map((m) => opt(`${m.from} → ${m.to}`, m.from)),
          placeholder: plainText('Pick one'),
        },
        { optional: true },
      ),
    );
  }
  const sourceOptions = [
    opt('Profile field: picked automatically', 'field:auto'),
    ...o.profileFields
      .slice(0, OPTIONS_MAX - 4)
      .map((f) => opt(`Profile field: ${f.label}`, `field:${f.id}`)),
    opt('Title', 'title'),
    opt('Slack user groups (chosen below)', 'usergroups'),
    opt('A pasted CSV (below)', 'csv'),
  ];
  const initialSource = sourceOptions.find((x) => x.value === sourceValue(o));
  blocks.push(
    inputBlock(B.departmentsSource, 'Where departments come from', {
      type: 'static_select',
      options: sourceOptions,
      ...(initialSource ? { initial_option: initialSource } : {}),
    }),
  );
  if (o.userGroups.length > 0) {
    const groupOptions = o.userGroups
      .slice(0, OPTIONS_MAX)
      .map((g) => opt(`${g.name} (@${g.handle}, ${g.userIds.length})`, g.id));
    const initialGroups = groupOptions.filter((g) => o.chosenGroups.includes(g.value ?? ''));
    blocks.push(
      inputBlock(
        B.departmentsGroups,
        'User groups that are departments',
        {
          type: 'multi_static_select',
          options: groupOptions,
          placeholder: plainText('Pick user groups'),
          ...(initialGroups.length > 0 ? { initial_options: initialGroups } : {}),
        },
        { optional: true, hint: 'Each is a department; someone in several takes the first listed here.' },
      ),
    );
  }
  blocks.push(
    textInput(B.departmentsCsv, 'CSV: email or user id, department', {
      optional: true,
      multiline: true,
      maxLength: CSV_INPUT_MAX,
      placeholder: 'ana@example.com, Engineering',
      hint: `One person per line, up to ${CSV_MAX_ROWS} lines. Applied whole or not at all: lines that match nobody are listed for you.`,
    }),
  );
  return formModal(CALLBACKS.departments, 'Departments', 'Apply', { source: o.source.kind }, blocks);
}

/** The view shown once the modal is submitted: the work happens after Slack's 3 seconds. */
export function buildDepartmentsApplyingView(): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.departments,
    title: plainText('Departments'),
    close: plainText('Close'),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Applying your changes. Weave will send you a summary in a DM.' },
      },
    ],
  };
}

/** One line per change, for the summary DM. */
export function describeDepartmentsChange(c: DepartmentsChange): string {
  switch (c.code) {
    case 'merged':
      return `Merged ${c.from.map((f) => `“${escapeRawText(f)}”`).join(', ')} into *${escapeRawText(c.into)}*.`;
    case 'unmerged':
      return `Undid the merge into *${escapeRawText(c.name)}*.`;
    case 'source_set':
      return `Departments now come from ${escapeRawText(c.label)}${c.assigned === null ? '' : ` (${c.assigned} people in the chosen groups)`}.`;
    case 'csv_applied':
      return `Applied the CSV: ${c.applied} people have a department; ${c.unknown} are matched as unknown.`;
    case 'csv_rejected': {
      const lines = [
        ...c.problems.slice(0, 20).map((p) => `• line ${p.line}: ${escapeRawText(p.why)}`),
        ...c.unmatched
          .slice(0, 20)
          .map((u) => `• line ${u.line}: ${escapeRawText(u.who)} matches nobody in this workspace`),
      ];
      const hidden = c.problems.length + c.unmatched.length - lines.length;
      return `*Nothing from the CSV was applied*; fix these lines and paste it again:\n${lines.join('\n')}${hidden > 0 ? `\n…and ${hidden} more.` : ''}`;
    }
    case 'user_groups_unavailable':
      return `Weave couldn't read the user groups (${escapeRawText(c.error)}); departments stay as they were. Reinstall Weave so it may read user groups, then try again.`;
    case 'users_unavailable':
      return `Weave couldn't read the member list to match the CSV (${escapeRawText(c.error)}); nothing was applied. Try again in a minute.`;
    case 'nothing_to_do':
      return 'Nothing to change.';
  }
}

/** The summary DM after the modal was applied. */
export function buildDepartmentsReport(changes: DepartmentsChange[]): { text: string } {
  const lines = changes.length > 0 ? changes.map(describeDepartmentsChange) : ['Nothing to change.'];
  return { text: `*Departments*\n${lines.join('\n')}\n_See them again with_ \`/intro admin departments\`.` };
}
