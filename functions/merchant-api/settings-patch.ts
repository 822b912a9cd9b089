import * as z from 'zod';
import { parseBody, type Request, refusedInput } from './http';

/**
 * Settings change in two ways: `PUT` replaces them whole (a field left out takes its default), and
 * `PATCH` changes the fields sent, each replaced whole, and keeps every other one as it is.
 */

/** The body of a PATCH: any of the settings' fields, none filled in by a default. */
export function settingsPatchOf<Shape extends z.ZodRawShape>(settings: z.ZodObject<Shape>) {
  const fields = Object.fromEntries(
    Object.entries(settings.shape).map(([name, field]) => [
      name,
      (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional(),
    ]),
  );
  return z
    .strictObject(fields)
    .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
}

/** The settings with the PATCH's fields in place of theirs, checked as a whole as a PUT would be. */
export function patchedSettings<Settings extends z.ZodObject>(
  request: Request,
  current: z.input<Settings>,
  settings: Settings,
): z.infer<Settings> {
  return withPatch(current, parseBody(request, settingsPatchOf(settings)), settings);
}

/** As `patchedSettings`, for a patch already read (before the current settings are). */
export function withPatch<Settings extends z.ZodObject>(
  current: z.input<Settings>,
  patch: Record<string, unknown>,
  settings: Settings,
): z.infer<Settings> {
  const merged = settings.safeParse({ ...current, ...patch });
  if (!merged.success) throw refusedInput('invalid_body', merged.error.issues, '(body)');
  return merged.data;
}
