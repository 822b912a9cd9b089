/** `inbound-sms` → `InboundSms`: construct ids from the kebab-case names in shared/resources/. */
export function pascalCase(kebab: string): string {
  return kebab.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase());
}
