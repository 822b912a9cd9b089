/**
 * The rule of a field the API checks (a template's variables, a tier code): none here, but antd
 * clears a refusal placed on a field when it changes only if the field has rules, so a mended field
 * loses the API's reason at once instead of keeping it until the next answer.
 */
export const checkedByApi = [{ validator: () => Promise.resolve() }];
