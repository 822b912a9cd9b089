import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

type NewAudience = paths['/v1/audiences']['post']['requestBody']['content']['application/json'];
type AudienceChange = NonNullable<
  paths['/v1/audiences/{audienceId}']['patch']['requestBody']
>['content']['application/json'];
export type Definition = NewAudience['definition'];
export type SavedAudience = Awaited<ReturnType<typeof getAudience>>['audience'];
export type FieldCatalog = Awaited<ReturnType<typeof getFields>>;
export type AudienceField = FieldCatalog['fields'][number];
export type Preview = Awaited<ReturnType<typeof previewAudience>>['preview'];

export const listAudiences = (cursor?: string) =>
  answer(api.GET('/v1/audiences', { params: { query: { limit: '50', ...(cursor ? { cursor } : {}) } } }));

export const getAudience = (audienceId: string) =>
  answer(api.GET('/v1/audiences/{audienceId}', { params: { path: { audienceId } } }));

/** What a condition may test, as the API checks it: the builder offers nothing else. */
const getFields = () => answer(api.GET('/v1/audiences/fields')).then((a) => a.language);

const previewAudience = (definition: Definition) =>
  answer(api.POST('/v1/audiences/preview', { body: { definition, sampleSize: 10 } }));

export const useAudiences = (cursor?: string) =>
  useQuery({
    queryKey: ['audiences', { cursor }],
    queryFn: () => listAudiences(cursor),
    placeholderData: keepPreviousData,
  });

export const audienceQuery = (audienceId: string) =>
  queryOptions({ queryKey: ['audiences', audienceId], queryFn: () => getAudience(audienceId) });

export const useAudience = (audienceId: string | undefined) =>
  useQuery({ ...audienceQuery(audienceId ?? ''), enabled: audienceId !== undefined });

export const useAudienceFields = () =>
  useQuery({ queryKey: ['audience-fields'], queryFn: getFields, staleTime: 5 * 60_000 });

/**
 * The count and sample of a definition, asked once it has rested a moment (the caller debounces);
 * the last answer stays on screen while the next is on its way.
 */
export const useAudiencePreview = (definition: Definition | undefined) =>
  useQuery({
    queryKey: ['audience-preview', definition],
    queryFn: () => previewAudience(definition as Definition),
    enabled: definition !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 10_000,
  });

function useAudienceChange<Input, Answer>(mutationFn: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey: ['audiences'] }) });
}

/**
 * Saves a new audience under the id the page made when it opened: a repeat of the same submit (a
 * double click, a retry after a lost answer) is answered the audience saved the first time.
 */
export const useCreateAudience = () =>
  useAudienceChange((body: NewAudience & { audienceId: string }) =>
    answer(api.POST('/v1/audiences', { body })),
  );

export const useUpdateAudience = () =>
  useAudienceChange(({ audienceId, change }: { audienceId: string; change: AudienceChange }) =>
    answer(api.PATCH('/v1/audiences/{audienceId}', { params: { path: { audienceId } }, body: change })),
  );

export const useDeleteAudience = () =>
  useAudienceChange((audienceId: string) =>
    answer(api.DELETE('/v1/audiences/{audienceId}', { params: { path: { audienceId } } })),
  );
