import type { Template, TemplatePatch } from '../schemas/template';

/**
 * The template with a change in place. A new text is not the text the provider reviewed: its
 * registration goes back to `pending` until it is registered again.
 */
export function changedTemplate(template: Template, patch: TemplatePatch, at: Date): Template {
  const rewritten = patch.body !== undefined && patch.body !== template.body;
  const registration =
    rewritten && template.registration
      ? { ...template.registration, status: 'pending' as const }
      : template.registration;
  return { ...template, ...patch, ...(registration ? { registration } : {}), updatedAt: at.toISOString() };
}
