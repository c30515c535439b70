/** Slack-shaped objects built from the fake's state: users, profiles, conversations, messages, views. */
import type { FakeUserSpec } from '../fake-workspace.ts';
import { validateBlocks } from './block-kit.ts';
import { type ChannelState, FakeSlackState, FIXED_CREATED, type Resolved } from './state.ts';
import type { CallArgs, FakeMessage, FakeView, SlackResult } from './types.ts';
import { fail, failWithMessages, normalizeName, shortHash, str, timeZoneInfo } from './util.ts';

/** State plus the Slack object shapes the Web API methods answer with. */
export class FakeSlackModel extends FakeSlackState {
  /** Slack-shaped user object as users.info returns it. */
  getUser(id: string): SlackResult | undefined {
    const spec = this.users.get(id);
    return spec ? this.slackUser(spec, 'info') : undefined;
  }

  /** Slack-shaped conversation object as conversations.info returns it. */
  getChannel(id: string): SlackResult | undefined {
    const ch = this.channels.get(id);
    return ch ? this.channelObject(ch, true) : undefined;
  }

  // ----- Slack object shapes -----------------------------------------------------------------------------------

  fieldsOf(spec: FakeUserSpec, withLabels: boolean): Record<string, Record<string, string>> {
    const values: Record<string, string> = { ...(spec.fields ?? {}) };
    const deptField = this.profileFields.find((f) => f.label === 'Department')?.id ?? 'Xf0DEPT';
    if (spec.department) values[deptField] = spec.department;
    const out: Record<string, Record<string, string>> = {};
    for (const [id, value] of Object.entries(values)) {
      if (value === '') continue;
      const label = this.profileFields.find((f) => f.id === id)?.label ?? id;
      out[id] = withLabels ? { value, alt: '', label } : { value, alt: '' };
    }
    return out;
  }

  slackProfile(spec: FakeUserSpec, fieldsMode: 'none' | 'nullable' | 'object' | 'labels'): SlackResult {
    const avatarHash = shortHash(spec.id, 12).toLowerCase();
    const img = (size: number) => `https://secure.gravatar.com/avatar/${avatarHash}.jpg?s=${size}&d=mp`;
    const [first = '', ...rest] = spec.realName.split(' ');
    const profile: SlackResult = {
      title: spec.title ?? '',
      phone: '',
      skype: '',
      real_name: spec.realName,
      real_name_normalized: normalizeName(spec.realName),
      display_name: spec.displayName ?? '',
      display_name_normalized: normalizeName(spec.displayName ?? ''),
      status_text: '',
      status_emoji: '',
      status_emoji_display_info: [],
      status_expiration: 0,
      avatar_hash: avatarHash,
      first_name: first,
      last_name: rest.join(' '),
      image_24: img(24),
      image_32: img(32),
      image_48: img(48),
      image_72: img(72),
      image_192: img(192),
      image_512: img(512),
      team: spec.teamId ?? this.team.id,
    };
    if (fieldsMode !== 'none') {
      const fields = this.fieldsOf(spec, fieldsMode === 'labels');
      profile.fields = fieldsMode === 'nullable' && Object.keys(fields).length === 0 ? null : fields;
    }
    if (spec.isBot) {
      profile.bot_id = spec.botId ?? '';
      profile.api_app_id = spec.appId ?? '';
      profile.always_active = true;
    } else {
      profile.email = spec.email ?? `${spec.name}@${this.team.emailDomain ?? `${this.team.domain}.example`}`;
    }
    return profile;
  }

  slackUser(spec: FakeUserSpec, mode: 'list' | 'info', includeLocale = false): SlackResult {
    const tz = spec.tz ?? 'America/Los_Angeles';
    const tzInfo = timeZoneInfo(tz);
    const fieldsMode = mode === 'info' ? 'nullable' : this.opts.usersListIncludesFields ? 'object' : 'none';
    const user: SlackResult = {
      id: spec.id,
      team_id: spec.teamId ?? this.team.id,
      name: spec.name,
      deleted: spec.deleted ?? false,
      color: shortHash(spec.name, 6).toLowerCase(),
      real_name: spec.realName,
      tz,
      tz_label: tzInfo.label,
      tz_offset: spec.tzOffset ?? tzInfo.offset,
      profile: this.slackProfile(spec, fieldsMode),
      is_admin: spec.isAdmin ?? false,
      is_owner: spec.isOwner ?? false,
      is_primary_owner: spec.isPrimaryOwner ?? false,
      is_restricted: spec.isRestricted ?? false,
      is_ultra_restricted: spec.isUltraRestricted ?? false,
      is_bot: spec.isBot ?? false,
      is_app_user: spec.isAppUser ?? false,
      updated: FIXED_CREATED,
      is_email_confirmed: !spec.isBot,
      who_can_share_contact_card: 'EVERYONE',
    };
    if (includeLocale) user.locale = spec.locale ?? 'en-US';
    if (spec.deleted) {
      // Deactivated accounts come back without time zone or role flags.
      for (const key of [
        'tz',
        'tz_label',
        'tz_offset',
        'is_admin',
        'is_owner',
        'is_primary_owner',
        'is_restricted',
        'is_ultra_restricted',
      ]) {
        delete user[key];
      }
    }
    return user;
  }

  channelObject(ch: ChannelState, includeNumMembers: boolean): SlackResult {
    const common = {
      id: ch.id,
      created: ch.created,
      is_archived: ch.isArchived,
      is_org_shared: false,
      context_team_id: this.team.id,
      updated: ch.created * 1000,
    };
    if (ch.kind === 'im') {
      return {
        ...common,
        is_im: true,
        user: ch.user ?? '',
        is_user_deleted: this.users.get(ch.user ?? '')?.deleted ?? false,
        priority: 0,
      };
    }
    const obj: SlackResult = {
      ...common,
      name: ch.name,
      is_channel: ch.kind === 'public',
      is_group: ch.kind === 'private',
      is_im: false,
      is_mpim: ch.kind === 'mpim',
      is_private: ch.kind !== 'public',
      is_general: ch.isGeneral,
      unlinked: 0,
      name_normalized: ch.name,
      is_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      parent_conversation: null,
      creator: ch.creator,
      is_ext_shared: false,
      shared_team_ids: [this.team.id],
      pending_connected_team_ids: [],
      is_member: ch.members.includes(this.bot.userId),
      topic: { value: ch.topic, creator: ch.topic ? ch.creator : '', last_set: ch.topic ? ch.created : 0 },
      purpose: {
        value: ch.purpose,
        creator: ch.purpose ? ch.creator : '',
        last_set: ch.purpose ? ch.created : 0,
      },
      previous_names: [],
    };
    if (includeNumMembers) obj.num_members = ch.members.length;
    return obj;
  }

  nextTs(): string {
    this.tsSeq += 1;
    const micros = this.tsSeq * 100;
    const sec = (this.opts.tsBase ?? 1_700_000_000) + Math.floor(micros / 1_000_000);
    return `${sec}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  messageObject(m: FakeMessage): SlackResult {
    return {
      type: 'message',
      text: m.text,
      user: m.user,
      bot_id: m.bot_id,
      app_id: this.bot.appId,
      ts: m.ts,
      team: this.team.id,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.attachments ? { attachments: m.attachments } : {}),
      ...(m.metadata ? { metadata: m.metadata } : {}),
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(m.edited ? { edited: m.edited } : {}),
    };
  }

  /** Opens (or resumes) a DM / MPIM. */
  openConversation(userIds: string[]): Resolved<{ channel: ChannelState; existed: boolean }> {
    const error = (code: string) => ({ ok: false as const, result: fail(code) });
    const users = [...new Set(userIds.map((u) => u.trim()).filter((u) => u !== ''))];
    if (users.length === 0) return error('users_list_not_supplied');
    if (users.length > 8) return error('too_many_users');
    for (const id of users) {
      const u = this.users.get(id);
      if (!u) return error('user_not_found');
      if (u.deleted) return error(this.opts.deactivatedUserError ?? 'account_inactive');
    }
    const others = users.filter((u) => u !== this.bot.userId);
    if (others.length === 0) return error('cannot_dm_bot');
    if (others.length === 1 && this.users.get(others[0] ?? '')?.isBot) return error('cannot_dm_bot');
    const id = this.conversationIdFor(others);
    const existing = this.channels.get(id);
    if (existing) return { ok: true, value: { channel: existing, existed: true } };
    const isIm = others.length === 1;
    const sorted = [...others].sort();
    const ch: ChannelState = {
      id,
      name: isIm ? (sorted[0] ?? '') : `mpdm-${sorted.map((u) => this.users.get(u)?.name ?? u).join('--')}-1`,
      kind: isIm ? 'im' : 'mpim',
      members: [...others, this.bot.userId],
      isArchived: false,
      isGeneral: false,
      created: FIXED_CREATED,
      creator: this.bot.userId,
      topic: '',
      purpose: '',
      ...(isIm ? { user: others[0] } : {}),
    };
    this.channels.set(id, ch);
    return { ok: true, value: { channel: ch, existed: false } };
  }

  /** Resolves a `channel` arg: conversation id, or a user id (→ that user's DM with the bot). */
  resolveChannel(channelArg: string | undefined): Resolved<ChannelState> {
    const ch = channelArg ? this.channels.get(channelArg) : undefined;
    if (ch) return { ok: true, value: ch };
    if (channelArg && /^[UW]/.test(channelArg) && this.users.has(channelArg)) {
      const opened = this.openConversation([channelArg]);
      return opened.ok ? { ok: true, value: opened.value.channel } : opened;
    }
    return { ok: false, result: fail('channel_not_found') };
  }

  checkMessageContent(args: CallArgs, requireContent: boolean): SlackResult | undefined {
    const text = str(args, 'text');
    if (text !== undefined && text.length > 40_000) return fail('msg_too_long');
    if (args.blocks !== undefined) {
      if (!Array.isArray(args.blocks))
        return failWithMessages('invalid_blocks_format', ['[ERROR] must be an array']);
      const messages = this.isLenient('blocks') ? [] : validateBlocks(args.blocks, 'message');
      if (messages.length > 0) return { ...failWithMessages('invalid_blocks', messages), errors: messages };
    }
    if (args.attachments !== undefined && !Array.isArray(args.attachments))
      return fail('invalid_attachments');
    const hasContent =
      (text !== undefined && text !== '') ||
      (Array.isArray(args.blocks) && args.blocks.length > 0) ||
      (Array.isArray(args.attachments) && args.attachments.length > 0);
    if (requireContent && !hasContent) return fail('no_text');
    return undefined;
  }

  storeView(view: CallArgs, id: string, rootId: string, previous: string | null): FakeView {
    const stored: FakeView = {
      id,
      team_id: this.team.id,
      type: String(view.type),
      blocks: Array.isArray(view.blocks) ? view.blocks : [],
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${shortHash(`${id}|${++this.idSeq}`, 8).toLowerCase()}`,
      title: view.title ?? null,
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: previous,
      root_view_id: rootId,
      app_id: this.bot.appId,
      external_id: typeof view.external_id === 'string' ? view.external_id : '',
      app_installed_team_id: this.team.id,
      bot_id: this.bot.botId,
    };
    this.views.set(id, stored);
    return stored;
  }

  newViewId(): string {
    return `V0FAKE${String(++this.idSeq).padStart(5, '0')}`;
  }
}
