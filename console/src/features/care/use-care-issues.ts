import type { FormInstance } from 'antd';
import { useEffect, useMemo } from 'react';
import { placeIssues } from '../../lib/field-issues';
import type { CareSettingsInput } from './api/care';
import { type CareFields, fieldOfIssue, namePath } from './care-form';

/**
 * A refusal of care settings shown at the editor's fields: each issue under the field its path names
 * (`prefix` is `settings.` for a previewed draft), and what no field holds returned to show above.
 */
export function useCareIssues(
  form: FormInstance<CareFields>,
  error: unknown,
  settings: CareSettingsInput,
  prefix = '',
): unknown {
  const placed = useMemo(() => {
    const paths =
      error && typeof error === 'object' && 'issues' in error
        ? (error.issues as { path: string }[]).map((issue) => issue.path)
        : [];
    const fieldOf: Record<string, string> = {};
    for (const path of paths) {
      const field = path.startsWith(prefix) ? fieldOfIssue(path.slice(prefix.length), settings) : undefined;
      if (field) fieldOf[path] = field;
    }
    return placeIssues(error, Object.values(fieldOf), fieldOf);
  }, [error, settings, prefix]);
  useEffect(() => {
    if (placed.fields.length > 0) {
      form.setFields(placed.fields.map(({ name, errors }) => ({ name: namePath(name) as never, errors })));
    }
  }, [form, placed]);
  return placed.unplaced;
}
