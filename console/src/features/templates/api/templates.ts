import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { ApiError } from '../../../lib/errors';

type NewTemplate = paths['/v1/templates']['post']['requestBody']['content']['application/json'];
type TemplateChange = NonNullable<
  paths['/v1/templates/{templateId}']['patch']['requestBody']
>['content']['application/json'];
export type Registration =
  paths['/v1/templates/{templateId}/registration']['put']['requestBody']['content']['application/json'];
type PreviewRequest = paths['/v1/templates/preview']['post']['requestBody']['content']['application/json'];
export type PlaceholderValues = NonNullable<PreviewRequest['values']>;

export type Template = Awaited<ReturnType<typeof getTemplate>>['template'];
export type Preview = Awaited<ReturnType<typeof previewText>>['preview'];

/** A page of the shop's templates, in the order of their ids. */
export const listTemplates = (cursor?: string) =>
  answer(api.GET('/v1/templates', { params: { query: { limit: '50', ...(cursor ? { cursor } : {}) } } }));

export const getTemplate = (templateId: string) =>
  answer(api.GET('/v1/templates/{templateId}', { params: { path: { templateId } } }));

/**
 * The text as a member receives it — signed, with the unsubscribe line on marketing — and what it costs;
 * a text the carriers would refuse is refused here, at the body.
 */
export const previewText = (body: PreviewRequest) => answer(api.POST('/v1/templates/preview', { body }));

export const useTemplates = (cursor?: string) =>
  useQuery({
    queryKey: ['templates', { cursor }],
    queryFn: () => listTemplates(cursor),
    placeholderData: keepPreviousData,
  });

export const templateQuery = (templateId: string) =>
  queryOptions({ queryKey: ['templates', templateId], queryFn: () => getTemplate(templateId) });

export const useTemplate = (templateId: string | undefined) =>
  useQuery({ ...templateQuery(templateId ?? ''), enabled: templateId !== undefined });

/**
 * The preview of what is typed, asked again only when the text or its category has rested a moment
 * (the caller debounces); the last answer stays on screen while the next is on its way.
 */
export const usePreview = (request: PreviewRequest | undefined) =>
  useQuery({
    queryKey: ['template-preview', request],
    queryFn: () => previewText(request as PreviewRequest),
    enabled: request !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });

/** A change to the templates, after which they are read again. */
function useTemplateChange<Input, Answer>(mutationFn: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey: ['templates'] }) });
}

/**
 * Saves a new template under the id the form made when it opened: a repeat of the same submit (a
 * double click, a retry after a lost answer) finds the template there (409) and takes it as saved.
 */
export const useCreateTemplate = () =>
  useTemplateChange(async (body: NewTemplate & { templateId: string }) => {
    try {
      return await answer(api.POST('/v1/templates', { body }));
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'template_exists')) throw error;
      return getTemplate(body.templateId);
    }
  });

export const useUpdateTemplate = () =>
  useTemplateChange(({ templateId, change }: { templateId: string; change: TemplateChange }) =>
    answer(api.PATCH('/v1/templates/{templateId}', { params: { path: { templateId } }, body: change })),
  );

export const useDeleteTemplate = () =>
  useTemplateChange((templateId: string) =>
    answer(api.DELETE('/v1/templates/{templateId}', { params: { path: { templateId } } })),
  );

export const useRegisterTemplate = () =>
  useTemplateChange(({ templateId, registration }: { templateId: string; registration: Registration }) =>
    answer(
      api.PUT('/v1/templates/{templateId}/registration', {
        params: { path: { templateId } },
        body: registration,
      }),
    ),
  );
