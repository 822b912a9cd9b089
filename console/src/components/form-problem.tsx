import { Form, type FormInstance } from 'antd';
import { useEffect, useMemo } from 'react';
import { type FieldOfPath, placeIssues } from '../lib/field-issues';
import { ApiProblem } from './api-problem';

interface FormProblemProps {
  /** What failed, e.g. "Could not add the member". */
  title: string;
  /** The submit's error, or nothing while none. */
  error: unknown;
  form: FormInstance;
  /** The form's fields, by name: where an issue naming one of them is shown. */
  fields: readonly string[];
  fieldOf?: FieldOfPath;
}

/**
 * A refused submit, shown where the merchant looks: each issue the API names under its field, and
 * whatever belongs to no field (or a lost connection) above the buttons.
 */
export function FormProblem({ title, error, form, fields, fieldOf }: FormProblemProps) {
  const placed = useMemo(() => placeIssues(error, fields, fieldOf), [error, fields, fieldOf]);
  useEffect(() => {
    if (placed.fields.length > 0) form.setFields(placed.fields);
  }, [form, placed]);
  if (!placed.unplaced) return null;
  return (
    <Form.Item>
      <ApiProblem title={title} error={placed.unplaced} />
    </Form.Item>
  );
}
