// Block Kit builders shared by the modals: input blocks (each element's action_id is its block_id, which is how
// the view-state parsers read them back) and the form modal around them.
import type {
  InputBlock,
  InputBlockElement,
  KnownBlock,
  ModalView,
  PlainTextElement,
  PlainTextOption,
} from '@slack/types';
import { truncate } from '../../domain/text/index.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An input element without its action_id: `inputBlock` sets it to the block id. */
export type InputElement = DistributiveOmit<InputBlockElement, 'action_id'>;

/** What an input block may add around its element. */
export interface InputOptions {
  optional?: boolean;
  /** Shown below the element; left out when empty. */
  hint?: string;
}

export const plainText = (text: string): PlainTextElement => ({ type: 'plain_text', text });

/** An input block whose element's action_id is `blockId`. */
export function inputBlock(
  blockId: string,
  label: string,
  element: InputElement,
  { optional, hint }: InputOptions = {},
): InputBlock {
  const { type, ...fields } = element;
  return {
    type: 'input',
    block_id: blockId,
    ...(optional ? { optional: true } : {}),
    label: plainText(label),
    ...(hint ? { hint: plainText(hint) } : {}),
    element: { type, action_id: blockId, ...fields } as InputBlockElement,
  };
}

/** A text field; `initial` is left out when undefined (an empty string is kept). */
export function textInput(
  blockId: string,
  label: string,
  o: InputOptions & { maxLength: number; multiline?: boolean; placeholder?: string; initial?: string },
): InputBlock {
  const element: InputElement = {
    type: 'plain_text_input',
    ...(o.multiline ? { multiline: true } : {}),
    max_length: o.maxLength,
    ...(o.placeholder ? { placeholder: plainText(o.placeholder) } : {}),
    ...(o.initial !== undefined ? { initial_value: o.initial } : {}),
  };
  return inputBlock(blockId, label, element, o);
}

/** A people picker of up to `max`, prefilled with the first `max` of `initial`. */
export function usersInput(
  blockId: string,
  label: string,
  o: InputOptions & { max: number; placeholder: string; initial: string[] },
): InputBlock {
  const element: InputElement = {
    type: 'multi_users_select',
    max_selected_items: o.max,
    placeholder: plainText(o.placeholder),
    ...(o.initial.length > 0 ? { initial_users: o.initial.slice(0, o.max) } : {}),
  };
  return inputBlock(blockId, label, element, o);
}

/** An optional single checkbox, ticked when `on`. */
export function checkbox(blockId: string, label: string, option: PlainTextOption, on: boolean): InputBlock {
  const element: InputElement = {
    type: 'checkboxes',
    options: [option],
    ...(on ? { initial_options: [option] } : {}),
  };
  return inputBlock(blockId, label, element, { optional: true });
}

/** A whole number from `min` to `max`. */
export function numberInput(
  blockId: string,
  label: string,
  min: number,
  max: number,
  value: number,
  hint: string,
): InputBlock {
  const element: InputElement = {
    type: 'number_input',
    is_decimal_allowed: false,
    min_value: String(min),
    max_value: String(max),
    initial_value: String(value),
  };
  return inputBlock(blockId, label, element, { hint });
}

/** A dropdown, set to the option whose value is `initial` (none when there is no such option). */
export function select(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  initial: string,
  hint?: string,
): InputBlock {
  const initialOption = options.find((o) => o.value === initial);
  const element: InputElement = {
    type: 'static_select',
    options,
    ...(initialOption ? { initial_option: initialOption } : {}),
  };
  return inputBlock(blockId, label, element, { hint });
}

/**
 * A modal that only says something (e.g. "Saving…" while a submission is processed, then its result):
 * no submit button, a Close button.
 */
export function noticeModal(callbackId: string, title: string, text: string): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plainText(title),
    close: plainText('Close'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }],
  };
}

/** A modal form with a submit button and Cancel; `metadata` comes back as its private_metadata. */
export function formModal(
  callbackId: string,
  title: string,
  submit: string,
  metadata: object,
  blocks: KnownBlock[],
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify(metadata),
    title: plainText(title),
    submit: plainText(submit),
    close: plainText('Cancel'),
    blocks,
  };
}
