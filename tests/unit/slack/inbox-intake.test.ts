import { describe, expect, it } from 'vitest';
import { durableInput } from '../../../src/slack/inbox-intake.ts';

const event = (e: Record<string, unknown>) => ({
  type: 'event_callback',
  team_id: 'T1',
  event_id: 'Ev1',
  event: e,
});
const command = (name: string, text: string) => ({
  command: name,
  text,
  team_id: 'T1',
  trigger_id: 'tr1',
  user_id: 'U1',
});
const click = (actionId: string) => ({
  type: 'block_actions',
  team: { id: 'T1' },
  user: { id: 'U1', team_id: 'T1' },
  trigger_id: 'tr2',
  actions: [{ action_id: actionId }],
});

describe('which Slack inputs are stored before their ack', () => {
  it('stores message and reaction events under Slack’s event id, not bot messages or other events', () => {
    expect(durableInput(event({ type: 'message', text: 'hi' }))).toEqual({
      workspaceId: 'T1',
      key: 'event:Ev1',
      kind: 'event',
      awaitsReply: false,
    });
    expect(durableInput(event({ type: 'reaction_added' }))?.key).toBe('event:Ev1');
    expect(durableInput(event({ type: 'reaction_removed' }))?.kind).toBe('event');
    expect(durableInput(event({ type: 'message', bot_id: 'B1' }))).toBeNull();
    expect(durableInput(event({ type: 'app_home_opened' }))).toBeNull();
    expect(durableInput({ ...event({ type: 'message' }), event_id: undefined })).toBeNull();
  });

  it('stores /give with text and the /intro subcommands that change state, keyed by the trigger id', () => {
    expect(durableInput(command('/give', '<@U2> thanks for the help'))).toEqual({
      workspaceId: 'T1',
      key: 'command:tr1',
      kind: 'command',
      awaitsReply: false,
    });
    for (const text of ['pause 2w', 'resume', 'skip', 'leave', 'round now', '<@U2> <@U3> you both like tea'])
      expect(durableInput(command('/intro', text))).toMatchObject({ kind: 'command', awaitsReply: true });
    // Usage, help, read-only answers and modal openers (their trigger id lasts 3 s) are answered at once.
    for (const text of ['', 'help', 'find design', 'me', 'profile', 'admin', 'data', 'preview', '<@U2>'])
      expect(durableInput(command('/intro', text))).toBeNull();
    expect(durableInput(command('/give', '  '))).toBeNull();
  });

  it('stores buttons that record something, not those that open a modal', () => {
    expect(durableInput(click('checkin_met'))).toEqual({
      workspaceId: 'T1',
      key: 'action:tr2',
      kind: 'action',
      awaitsReply: false,
    });
    for (const id of ['intro_accept', 'reconnect_yes', 'pause_toggle', 'forget_confirm'])
      expect(durableInput(click(id))).not.toBeNull();
    for (const id of ['thank_partner', 'open_profile', 'open_settings', 'open_dashboard'])
      expect(durableInput(click(id))).toBeNull();
  });

  it('derives a key from the request when Slack sent no trigger id', () => {
    const { trigger_id: _, ...body } = command('/give', '<@U2> thanks for the help');
    const a = durableInput(body);
    expect(a?.key).toMatch(/^command:[0-9a-f]{32}$/);
    expect(durableInput({ ...body })?.key).toBe(a?.key);
    expect(durableInput({ ...body, text: '<@U3> thanks for the help' })?.key).not.toBe(a?.key);
  });
});
