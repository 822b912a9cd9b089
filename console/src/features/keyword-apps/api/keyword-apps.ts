import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type NewKeywordApp = paths['/v1/keyword-apps']['post']['requestBody']['content']['application/json'];
export type AppAction = NewKeywordApp['action'];
export type ActionKind = AppAction['kind'];
export type KeywordApp = Awaited<ReturnType<typeof createKeywordApp>>;

const appsKey = ['keyword-apps'];

export const useKeywordApps = () =>
  useQuery({
    queryKey: appsKey,
    queryFn: () =>
      answer(api.GET('/v1/keyword-apps', { params: { query: { limit: '50' } } })).then((page) => page.apps),
  });

export const createKeywordApp = (body: NewKeywordApp) =>
  answer(api.POST('/v1/keyword-apps', { body })).then((a) => a.app);

export const setAppEnabled = ({ appId, enabled }: { appId: string; enabled: boolean }) =>
  answer(api.PATCH('/v1/keyword-apps/{appId}', { params: { path: { appId } }, body: { enabled } })).then(
    (a) => a.app,
  );

function useAppChange<Input>(mutationFn: (input: Input) => Promise<KeywordApp>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey: appsKey }) });
}

export const useCreateKeywordApp = () => useAppChange(createKeywordApp);
export const useSetAppEnabled = () => useAppChange(setAppEnabled);

/** The benefits still given out and the surveys still open: what an app may grant or start. */
export const useActionTargets = () =>
  useQuery({
    queryKey: ['keyword-apps', 'targets'],
    queryFn: async () => {
      const [benefits, surveys] = await Promise.all([
        answer(api.GET('/v1/benefits')).then((a) => a.benefits.filter((b) => b.active)),
        answer(api.GET('/v1/surveys', { params: { query: { limit: '100' } } })).then((a) =>
          a.surveys.filter((s) => s.status === 'open'),
        ),
      ]);
      return { benefits, surveys };
    },
  });

/** The reply as the member receives it (signature, parts), as typing pauses. */
export const useReplyPreview = (body: string | undefined) =>
  useQuery({
    queryKey: ['keyword-apps', 'preview', body],
    queryFn: () =>
      answer(api.POST('/v1/templates/preview', { body: { body: body ?? '', category: 'service' } })).then(
        (a) => a.preview,
      ),
    enabled: Boolean(body?.trim()),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
