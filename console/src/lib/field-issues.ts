import { ApiError, type FieldIssue } from './errors';

/** A form's field for each body path the API may name; a path not listed is the field of that name. */
export type FieldOfPath = Record<string, string>;

export interface PlacedIssues {
  /** Messages to show under each of the form's fields. */
  fields: { name: string; errors: string[] }[];
  /** The refusal when no field it names is on the form: shown above the submit button instead. */
  unplaced: unknown;
}

/**
 * Where to show a refusal: each issue at the form field its `path` names (`tags.0` is the `tags`
 * field), and the refusal as a whole only when some issue, or the error itself, belongs to no field.
 */
export function placeIssues(
  error: unknown,
  formFields: readonly string[],
  fieldOf: FieldOfPath = {},
): PlacedIssues {
  if (!(error instanceof ApiError) || error.issues.length === 0) return { fields: [], unplaced: error };
  const byField = new Map<string, string[]>();
  const unplaced: FieldIssue[] = [];
  for (const issue of error.issues) {
    const top = issue.path.split('.')[0] ?? '';
    const field = fieldOf[issue.path] ?? fieldOf[top] ?? top;
    if (formFields.includes(field)) byField.set(field, [...(byField.get(field) ?? []), issue.message]);
    else unplaced.push(issue);
  }
  return {
    fields: [...byField].map(([name, errors]) => ({ name, errors })),
    unplaced: unplaced.length === 0 ? undefined : error,
  };
}
