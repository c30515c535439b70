/** OAuth: oauth.v2.access and apps.uninstall. */
import type { FakeSlackModel } from './model.ts';
import type { Builtins } from './types.ts';
import { fail, str } from './util.ts';

/** The built-in handlers of this family, over the fake's state. */
export function oauthMethods(s: FakeSlackModel): Builtins {
  return {
    'oauth.v2.access': (args) => {
      const clientId = str(args, 'client_id');
      const clientSecret = str(args, 'client_secret');
      if (!clientId) return fail('invalid_client_id');
      if (s.opts.clientId && clientId !== s.opts.clientId) return fail('invalid_client_id');
      if (s.opts.clientSecret && clientSecret !== s.opts.clientSecret) return fail('bad_client_secret');
      const code = str(args, 'code') ?? '';
      const grant = s.oauthCodes.get(code);
      if (!grant) return fail('invalid_code');
      s.oauthCodes.delete(code);
      return {
        ok: true,
        app_id: grant.appId,
        authed_user: {
          id: grant.authedUserId,
          ...(grant.authedUserToken
            ? { scope: grant.userScope ?? '', access_token: grant.authedUserToken, token_type: 'user' }
            : {}),
        },
        scope: grant.scope,
        token_type: 'bot',
        access_token: grant.accessToken,
        bot_user_id: grant.botUserId,
        team: grant.teamId ? { id: grant.teamId, name: grant.teamName } : null,
        enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: grant.enterpriseName } : null,
        is_enterprise_install: grant.isEnterpriseInstall,
        ...(grant.refreshToken
          ? { refresh_token: grant.refreshToken, expires_in: grant.expiresIn ?? 43_200 }
          : {}),
      };
    },

    'apps.uninstall': (args, { token }) => {
      if (s.opts.clientId && str(args, 'client_id') !== s.opts.clientId) return fail('invalid_client_id');
      if (s.opts.clientSecret && str(args, 'client_secret') !== s.opts.clientSecret) {
        return fail('bad_client_secret');
      }
      if (token) s.revokeToken(token);
      return { ok: true };
    },
  };
}
