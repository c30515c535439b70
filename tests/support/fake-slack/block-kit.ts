/**
 * Block Kit checks, with the limits of Slack's Block Kit reference (https://docs.slack.dev/reference/block-kit/).
 * Every surface goes through here: messages, ephemeral messages, views, response-URL bodies and HTTP ack bodies.
 * Messages are Slack-style `[ERROR] … [json-pointer:…]` strings; an empty array means valid.
 */
import { isRecord } from './util.ts';

export type Surface = 'message' | 'modal' | 'home';

function textOf(obj: unknown): string | undefined {
  return isRecord(obj) && typeof obj.text === 'string' ? obj.text : undefined;
}

/** Collects errors for one message or view. */
class Checker {
  readonly out: string[] = [];

  err(ptr: string, message: string): void {
    this.out.push(`[ERROR] ${message} [json-pointer:${ptr}]`);
  }

  /** A text object (plain_text or mrkdwn) of at most `max` characters. */
  text(obj: unknown, ptr: string, max: number, opts: { required?: boolean; plainOnly?: boolean } = {}): void {
    if (obj === undefined) {
      if (opts.required) this.err(ptr, `missing required field: ${ptr.split('/').at(-1)}`);
      return;
    }
    if (!isRecord(obj) || typeof obj.text !== 'string') {
      this.err(ptr, 'must be a text object');
      return;
    }
    if (opts.plainOnly && obj.type !== 'plain_text') this.err(`${ptr}/type`, 'must be plain_text');
    else if (obj.type !== 'plain_text' && obj.type !== 'mrkdwn')
      this.err(`${ptr}/type`, 'must be plain_text or mrkdwn');
    if (obj.text.length === 0) this.err(`${ptr}/text`, 'must be more than 0 characters');
    if (obj.text.length > max) this.err(`${ptr}/text`, `must be less than ${max + 1} characters`);
  }

  maxLength(value: unknown, ptr: string, max: number): void {
    if (typeof value === 'string' && value.length > max)
      this.err(ptr, `must be less than ${max + 1} characters`);
  }

  options(list: unknown, ptr: string, max: number): string[] {
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      this.err(ptr, 'must be an array');
      return [];
    }
    if (list.length === 0) this.err(ptr, 'must provide at least 1 items');
    if (list.length > max) this.err(ptr, `no more than ${max} items allowed`);
    const values: string[] = [];
    list.forEach((opt, i) => {
      const p = `${ptr}/${i}`;
      if (!isRecord(opt)) {
        this.err(p, 'must be an option object');
        return;
      }
      this.text(opt.text, `${p}/text`, 75, { required: true });
      if (typeof opt.value !== 'string') this.err(`${p}/value`, 'missing required field: value');
      else {
        this.maxLength(opt.value, `${p}/value`, 150);
        if (values.includes(opt.value)) this.err(`${p}/value`, 'option values must be unique');
        values.push(opt.value);
      }
      if (opt.description !== undefined) this.text(opt.description, `${p}/description`, 75);
      this.maxLength(opt.url, `${p}/url`, 3000);
    });
    return values;
  }

  /** initial_option / initial_options must be among the options (compared by value). */
  initial(el: Record<string, unknown>, ptr: string, values: string[]): void {
    const single = el.initial_option;
    if (single !== undefined) {
      if (!isRecord(single) || !values.includes(String(single.value)))
        this.err(`${ptr}/initial_option`, 'must match one of the provided options');
    }
    const many = el.initial_options;
    if (many !== undefined) {
      if (!Array.isArray(many)) this.err(`${ptr}/initial_options`, 'must be an array');
      else
        many.forEach((o, i) => {
          if (!isRecord(o) || !values.includes(String(o.value)))
            this.err(`${ptr}/initial_options/${i}`, 'must match one of the provided options');
        });
    }
  }

  element(el: unknown, ptr: string, blockActionIds: Set<string>): void {
    if (!isRecord(el) || typeof el.type !== 'string') {
      this.err(ptr, 'missing required field: type');
      return;
    }
    if (typeof el.action_id === 'string') {
      this.maxLength(el.action_id, `${ptr}/action_id`, 255);
      // Slack requires action_ids unique within their block; the same action_id in different blocks is
      // accepted (Weave's per-row "Edit"/"Ask for an intro" buttons rely on it; the payload carries block_id).
      if (blockActionIds.has(el.action_id)) {
        this.err(`${ptr}/action_id`, `action_id "${el.action_id}" must be unique within the block`);
      }
      blockActionIds.add(el.action_id);
    }
    if (el.placeholder !== undefined)
      this.text(el.placeholder, `${ptr}/placeholder`, 150, { plainOnly: true });
    if (el.confirm !== undefined) this.confirm(el.confirm, `${ptr}/confirm`);
    switch (el.type) {
      case 'button':
        this.text(el.text, `${ptr}/text`, 75, { required: true, plainOnly: true });
        this.maxLength(el.value, `${ptr}/value`, 2000);
        this.maxLength(el.url, `${ptr}/url`, 3000);
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
          this.err(`${ptr}/style`, 'must be one of: primary, danger');
        break;
      case 'static_select':
      case 'multi_static_select': {
        if (el.options === undefined && el.option_groups === undefined)
          this.err(ptr, 'must provide either options or option_groups');
        let values = this.options(el.options, `${ptr}/options`, 100);
        if (Array.isArray(el.option_groups)) {
          if (el.option_groups.length > 100)
            this.err(`${ptr}/option_groups`, 'no more than 100 items allowed');
          el.option_groups.forEach((g, i) => {
            if (!isRecord(g)) return;
            this.text(g.label, `${ptr}/option_groups/${i}/label`, 75, { required: true, plainOnly: true });
            values = values.concat(this.options(g.options, `${ptr}/option_groups/${i}/options`, 100));
          });
        }
        this.initial(el, ptr, values);
        break;
      }
      case 'overflow':
        this.options(el.options, `${ptr}/options`, 5);
        break;
      case 'radio_buttons':
      case 'checkboxes':
        this.initial(el, ptr, this.options(el.options, `${ptr}/options`, 10));
        break;
      case 'plain_text_input':
        for (const key of ['min_length', 'max_length'] as const) {
          const n = el[key];
          if (n !== undefined && (typeof n !== 'number' || n < 0 || n > 3000))
            this.err(`${ptr}/${key}`, 'must be between 0 and 3000');
        }
        this.maxLength(
          el.initial_value,
          `${ptr}/initial_value`,
          typeof el.max_length === 'number' ? el.max_length : 3000,
        );
        break;
      case 'image':
        this.maxLength(el.image_url, `${ptr}/image_url`, 3000);
        this.maxLength(el.alt_text, `${ptr}/alt_text`, 2000);
        break;
      default:
        break;
    }
  }

  confirm(c: unknown, ptr: string): void {
    if (!isRecord(c)) {
      this.err(ptr, 'must be a confirm object');
      return;
    }
    this.text(c.title, `${ptr}/title`, 100, { required: true, plainOnly: true });
    this.text(c.text, `${ptr}/text`, 300, { required: true });
    this.text(c.confirm, `${ptr}/confirm`, 30, { required: true, plainOnly: true });
    this.text(c.deny, `${ptr}/deny`, 30, { required: true, plainOnly: true });
  }

  block(block: unknown, ptr: string, surface: Surface, blockIds: Set<string>): void {
    if (!isRecord(block) || typeof block.type !== 'string') {
      this.err(ptr, 'missing required field: type');
      return;
    }
    if (typeof block.block_id === 'string') {
      this.maxLength(block.block_id, `${ptr}/block_id`, 255);
      if (blockIds.has(block.block_id)) this.err(`${ptr}/block_id`, 'block_id must be unique');
      blockIds.add(block.block_id);
    }
    const actionIds = new Set<string>();
    switch (block.type) {
      case 'section': {
        const fields = block.fields;
        if (block.text === undefined && !Array.isArray(fields))
          this.err(ptr, 'must provide either text or fields');
        this.text(block.text, `${ptr}/text`, 3000);
        if (Array.isArray(fields)) {
          if (fields.length > 10) this.err(`${ptr}/fields`, 'no more than 10 items allowed');
          fields.forEach((f, j) => {
            this.text(f, `${ptr}/fields/${j}`, 2000);
          });
        }
        if (block.accessory !== undefined) this.element(block.accessory, `${ptr}/accessory`, actionIds);
        break;
      }
      case 'header':
        this.text(block.text, `${ptr}/text`, 150, { required: true, plainOnly: true });
        break;
      case 'divider':
        break;
      case 'image':
        this.maxLength(block.image_url, `${ptr}/image_url`, 3000);
        this.maxLength(block.alt_text, `${ptr}/alt_text`, 2000);
        if (block.title !== undefined) this.text(block.title, `${ptr}/title`, 2000, { plainOnly: true });
        break;
      case 'actions':
      case 'context': {
        const els = block.elements;
        const maxEls = block.type === 'actions' ? 25 : 10;
        if (!Array.isArray(els) || els.length === 0) {
          this.err(`${ptr}/elements`, 'missing required field: elements');
          break;
        }
        if (els.length > maxEls) this.err(`${ptr}/elements`, `no more than ${maxEls} items allowed`);
        els.forEach((el, j) => {
          const p = `${ptr}/elements/${j}`;
          if (block.type === 'actions') this.element(el, p, actionIds);
          else if (isRecord(el) && el.type === 'image') this.element(el, p, actionIds);
          else this.text(el, p, 3000);
        });
        break;
      }
      case 'input': {
        if (surface === 'message') this.err(ptr, 'input blocks are not supported in messages');
        this.text(block.label, `${ptr}/label`, 2000, { required: true, plainOnly: true });
        if (block.hint !== undefined) this.text(block.hint, `${ptr}/hint`, 2000, { plainOnly: true });
        if (block.element === undefined) this.err(`${ptr}/element`, 'missing required field: element');
        else this.element(block.element, `${ptr}/element`, actionIds);
        break;
      }
      default:
        break;
    }
  }
}

/** Returns Slack-style `[ERROR] … [json-pointer:…]` messages; empty when valid. */
export function validateBlocks(blocks: unknown, surface: Surface, base = '/blocks'): string[] {
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${base}]`];
  const c = new Checker();
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) c.err(base, `no more than ${max} items allowed`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    c.block(block, `${base}/${i}`, surface, blockIds);
  });
  return c.out;
}

/** Validates a view payload for views.open/push/update/publish (or a `response_action` view); Slack-style messages. */
export function validateView(view: unknown, expectedType?: 'home'): string[] {
  if (!isRecord(view)) return ['[ERROR] missing required field: view'];
  const out: string[] = [];
  const type = view.type;
  if (type !== 'modal' && type !== 'home')
    out.push('[ERROR] must be one of: modal, home [json-pointer:/view/type]');
  if (expectedType === 'home' && type !== 'home')
    out.push('[ERROR] views.publish requires a home view [json-pointer:/view/type]');
  if (type === 'modal') {
    for (const key of ['title', 'submit', 'close'] as const) {
      const t = textOf(view[key]);
      if (key === 'title' && t === undefined)
        out.push('[ERROR] missing required field: title [json-pointer:/view/title]');
      if (t !== undefined && t.length > 24) {
        out.push(`[ERROR] must be less than 25 characters [json-pointer:/view/${key}/text]`);
      }
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isRecord(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) {
      out.push(
        '[ERROR] submit is required when an input block is within the blocks array [json-pointer:/view/submit]',
      );
    }
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    out.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
    out.push('[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]');
  }
  if (typeof view.external_id === 'string' && view.external_id.length > 255) {
    out.push('[ERROR] must be less than 256 characters [json-pointer:/view/external_id]');
  }
  out.push(...validateBlocks(view.blocks ?? [], type === 'home' ? 'home' : 'modal', '/view/blocks'));
  return out;
}

/**
 * Checks a view_submission ack body (`response_action`): `errors` must map block ids to strings ≤ 150
 * characters; `update`/`push` carry a valid modal. Returns Slack-style messages; empty when valid.
 */
export function validateResponseAction(body: unknown): string[] {
  if (body === undefined || body === '' || body === null) return [];
  if (!isRecord(body)) return ['[ERROR] ack body must be a JSON object'];
  if (body.response_action === undefined) return [];
  switch (body.response_action) {
    case 'clear':
      return [];
    case 'errors': {
      if (!isRecord(body.errors) || Object.keys(body.errors).length === 0)
        return ['[ERROR] errors must be a non-empty object [json-pointer:/errors]'];
      return Object.entries(body.errors).flatMap(([blockId, msg]) =>
        typeof msg === 'string' && msg.length > 0 && msg.length <= 150
          ? []
          : [`[ERROR] must be a string of 1 to 150 characters [json-pointer:/errors/${blockId}]`],
      );
    }
    case 'update':
    case 'push': {
      const errs = validateView(body.view);
      if (isRecord(body.view) && body.view.type !== 'modal')
        errs.push('[ERROR] must be a modal [json-pointer:/view/type]');
      return errs;
    }
    default:
      return [
        `[ERROR] unknown response_action ${String(body.response_action)} [json-pointer:/response_action]`,
      ];
  }
}

/**
 * Checks the body a Bolt app acks a slash command or block action with, or posts to a response URL:
 * optional `text` and message `blocks`. Returns Slack-style messages; empty when valid.
 */
export function validateMessageBody(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const out: string[] = [];
  if (typeof body.text === 'string' && body.text.length > 40_000)
    out.push('[ERROR] msg_too_long [json-pointer:/text]');
  if (body.blocks !== undefined) out.push(...validateBlocks(body.blocks, 'message'));
  return out;
}
