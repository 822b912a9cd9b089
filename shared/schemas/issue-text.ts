/**
 * A problem with a field as a merchant reads it, naming the field once: `birthday: a real date …`.
 * Many messages already begin with their field's name, so that they read on their own too
 * (`birthday must be a past date`, `end: HH:MM …`); there the name gives way to the field's full path
 * instead of being repeated after it.
 */
export function issueText(path: string, message: string): string {
  if (!path) return message;
  const field = path.split('.').at(-1) ?? path;
  const namesField = message.startsWith(field) && /^[: ]/.test(message.slice(field.length));
  return namesField ? `${path}${message.slice(field.length)}` : `${path}: ${message}`;
}
