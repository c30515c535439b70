/** Web API: auth.test, team.*, users.*, bots.info. */
import type { FakeSlackModel } from './model.ts';
import { FIXED_CREATED } from './state.ts';
import type { Builtins } from './types.ts';
import { bool, fail, paginate, str } from './util.ts';

/** The built-in handlers of this family, over the fake's state. */
export function usersMethods(s: FakeSlackModel): Builtins {
  return {
    'auth.test': (_args, { identity }) => ({
      ok: true,
      url: `https://${identity.teamId === s.team.id ? s.team.domain : identity.teamId.toLowerCase()}.slack.com/`,
      team: identity.teamName,
      user: identity.userName,
      team_id: identity.teamId,
      user_id: identity.userId,
      bot_id: identity.botId,
      ...(identity.enterpriseId ? { enterprise_id: identity.enterpriseId } : {}),
      is_enterprise_install: identity.isEnterpriseInstall,
    }),

    'team.info': (args, { identity }) => {
      const teamId = str(args, 'team') ?? identity.teamId;
      if (teamId === s.team.id) {
        return {
          ok: true,
          team: {
            id: s.team.id,
            name: s.team.name,
            url: `https://${s.team.domain}.slack.com/`,
            domain: s.team.domain,
            email_domain: s.team.emailDomain ?? '',
            icon: {
              image_default: true,
              image_34: '',
              image_44: '',
              image_68: '',
              image_88: '',
              image_132: '',
            },
            avatar_base_url: 'https://ca.slack-edge.com/',
            is_verified: false,
            ...(s.team.enterpriseId
              ? { enterprise_id: s.team.enterpriseId, enterprise_name: s.team.enterpriseName ?? '' }
              : {}),
          },
        };
      }
      const known = [...s.tokens.values()].find((t) => t.teamId === teamId);
      if (!known) return fail('team_not_found');
      return {
        ok: true,
        team: {
          id: known.teamId,
          name: known.teamName,
          domain: known.teamId.toLowerCase(),
          email_domain: '',
        },
      };
    },

    'team.profile.get': () => ({
      ok: true,
      profile: {
        fields: s.profileFields.map((f, i) => ({
          id: f.id,
          ordering: f.ordering ?? i,
          label: f.label,
          hint: f.hint ?? '',
          type: f.type ?? 'text',
          possible_values: f.possibleValues ?? null,
          options: null,
          is_hidden: f.isHidden ?? false,
        })),
        sections: [],
      },
    }),

    'users.info': (args) => {
      const spec = s.users.get(str(args, 'user') ?? '');
      if (!spec) return fail('user_not_found');
      return { ok: true, user: s.slackUser(spec, 'info', bool(args, 'include_locale')) };
    },

    'users.list': (args, { identity }) => {
      // An org-wide token must say which workspace (https://docs.slack.dev/reference/methods/users.list).
      if (identity.isEnterpriseInstall && !s.isLenient('orgUsersList')) {
        const teamId = str(args, 'team_id');
        if (!teamId) return fail('missing_argument', { arg: 'team_id' });
        const known = teamId === s.team.id || [...s.tokens.values()].some((t) => t.teamId === teamId);
        if (!known) return fail('team_access_not_granted');
      }
      const all = [...s.users.values()];
      const page = paginate(all, (u) => u.id, 'user', args);
      if (!page.ok) return page.result;
      const includeLocale = bool(args, 'include_locale');
      return {
        ok: true,
        members: page.page.map((u) => s.slackUser(u, 'list', includeLocale)),
        cache_ts: Math.floor(Date.now() / 1000),
        response_metadata: { next_cursor: page.nextCursor },
      };
    },

    'users.profile.get': (args, { identity }) => {
      const spec = s.users.get(str(args, 'user') ?? identity.userId);
      if (!spec) return fail('user_not_found');
      return {
        ok: true,
        profile: s.slackProfile(spec, bool(args, 'include_labels') ? 'labels' : 'object'),
      };
    },

    'bots.info': (args, { identity }) => {
      const botId = str(args, 'bot') ?? identity.botId;
      const bot = s.bots.get(botId);
      if (!bot) return fail('bot_not_found');
      return {
        ok: true,
        bot: {
          id: bot.botId,
          deleted: false,
          name: bot.name,
          updated: FIXED_CREATED,
          app_id: bot.appId,
          user_id: bot.userId,
          icons: {
            image_36: 'https://a.slack-edge.com/80588/img/plugins/app/bot_36.png',
            image_48: 'https://a.slack-edge.com/80588/img/plugins/app/bot_48.png',
            image_72: 'https://a.slack-edge.com/80588/img/plugins/app/service_72.png',
          },
        },
      };
    },
  };
}
