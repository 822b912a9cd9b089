import { isMessageKey, type Translate } from '../../lib/i18n';

/**
 * Names for what the API lists: a field, operator, window or choice the console has a name for is
 * shown by it; one it does not know yet (a field added to the API since) by the API's own words.
 */
export function fieldLabel(t: Translate, name: string, describe: string): string {
  const key = `audiences.field.${name}`;
  return isMessageKey(key) ? t(key) : `${name} (${describe})`;
}

export function opLabel(t: Translate, op: string): string {
  const key = `audiences.op.${op}`;
  return isMessageKey(key) ? t(key) : op;
}

export function windowLabel(t: Translate, window: string): string {
  const key = `audiences.window.${window}`;
  return isMessageKey(key) ? t(key) : window;
}

export function choiceLabel(
  t: Translate,
  field: string,
  choice: string,
  names?: Record<string, string>,
): string {
  if (names?.[choice]) return names[choice];
  const key = `audiences.choice.${field}.${choice}`;
  return isMessageKey(key) ? t(key) : choice;
}
