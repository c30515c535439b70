/** Web API: views.*. */
import { validateView } from './block-kit.ts';
import type { FakeSlackModel } from './model.ts';
import type { Builtins, CallArgs, SlackResult } from './types.ts';
import { fail, failWithMessages, str } from './util.ts';

/** trigger_id lifetime on Slack: 3 seconds. */
export const TRIGGER_TTL_MS = 3000;

/**
 * A trigger_id is good once, within 3 s of the payload that carried it (Slack answers
 * `expired_trigger_id`, `exchanged_trigger_id` when reused, `invalid_trigger_id` when it never issued it).
 */
function useTrigger(s: FakeSlackModel, triggerId: string | undefined): SlackResult | undefined {
  if (!triggerId)
    return failWithMessages('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
  if (s.isLenient('triggers')) return undefined;
  if (s.usedTriggers.has(triggerId)) return fail('exchanged_trigger_id');
  const issuedAt = s.triggers.get(triggerId);
  if (issuedAt === undefined) return fail('invalid_trigger_id');
  s.triggers.delete(triggerId);
  s.usedTriggers.add(triggerId);
  if (Date.now() - issuedAt > (s.opts.triggerTtlMs ?? TRIGGER_TTL_MS)) return fail('expired_trigger_id');
  return undefined;
}

function checkView(s: FakeSlackModel, view: unknown, expected?: 'home'): string[] {
  if (s.isLenient('blocks')) return validateView(view, expected).filter((m) => !m.includes('/view/blocks'));
  return validateView(view, expected);
}

/** The built-in handlers of this family, over the fake's state. */
export function viewMethods(s: FakeSlackModel): Builtins {
  return {
    'views.open': (args) => {
      const triggerError = useTrigger(s, str(args, 'trigger_id'));
      if (triggerError) return triggerError;
      const messages = checkView(s, args.view);
      if (messages.length > 0) return failWithMessages('invalid_arguments', messages);
      const id = s.newViewId();
      return { ok: true, view: s.storeView(args.view as CallArgs, id, id, null) };
    },

    'views.push': (args) => {
      const triggerError = useTrigger(s, str(args, 'trigger_id'));
      if (triggerError) return triggerError;
      const messages = checkView(s, args.view);
      if (messages.length > 0) return failWithMessages('invalid_arguments', messages);
      const id = s.newViewId();
      return { ok: true, view: s.storeView(args.view as CallArgs, id, id, null) };
    },

    'views.update': (args) => {
      const viewId = str(args, 'view_id');
      const externalId = str(args, 'external_id');
      const existing = viewId
        ? s.views.get(viewId)
        : externalId
          ? [...s.views.values()].find((v) => v.external_id === externalId)
          : undefined;
      if (!viewId && !externalId)
        return failWithMessages('invalid_arguments', ['[ERROR] view_id or external_id required']);
      if (!existing) return fail('not_found');
      const hash = str(args, 'hash');
      if (hash && hash !== existing.hash) return fail('hash_conflict');
      const messages = checkView(s, args.view);
      if (messages.length > 0) return failWithMessages('invalid_arguments', messages);
      const view = s.storeView(
        args.view as CallArgs,
        existing.id,
        String(existing.root_view_id),
        (existing.previous_view_id as string | null) ?? null,
      );
      return { ok: true, view };
    },

    'views.publish': (args) => {
      const userId = str(args, 'user_id') ?? '';
      const user = s.users.get(userId);
      if (!user) return fail('user_not_found');
      const messages = checkView(s, args.view, 'home');
      if (messages.length > 0) return failWithMessages('invalid_arguments', messages);
      const existingId = s.homeViews.get(userId);
      const hash = str(args, 'hash');
      if (hash && existingId && s.views.get(existingId)?.hash !== hash) return fail('hash_conflict');
      const id = existingId ?? s.newViewId();
      s.homeViews.set(userId, id);
      return { ok: true, view: s.storeView(args.view as CallArgs, id, id, null) };
    },
  };
}
