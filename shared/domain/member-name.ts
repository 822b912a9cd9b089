/**
 * Characters a member's name may not hold, wherever it comes from (the API, an import, a text):
 * half of a surrogate pair, which no font draws and UTF-8 cannot encode (it reaches us from a
 * truncated emoji or a broken client), and control characters (a bell, an escape, a line break inside
 * the name), which break the texts, files and screens the name is shown in.
 */
const loneSurrogate = /\p{Cs}/u;
const controlCharacter = /[\p{Cc}\u2028\u2029]/u;

/** Why the name cannot be kept, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (loneSurrogate.test(name)) {
    return 'name has a broken character (half of an emoji or other character): type it again';
  }
  const control = controlCharacter.exec(name)?.[0];
  if (control !== undefined) {
    const code = `U+${control.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
    return `name may not contain control characters (line breaks, tabs …): found ${code}`;
  }
  return undefined;
}
