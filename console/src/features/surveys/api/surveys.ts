import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type NewSurvey = paths['/v1/surveys']['post']['requestBody']['content']['application/json'];
export type SurveyQuestion = NewSurvey['questions'][number];
export type Survey = Awaited<ReturnType<typeof getSurvey>>['survey'];
export type SurveyResults = Awaited<ReturnType<typeof getResults>>['results'];
export type QuestionResult = SurveyResults['questions'][number];

const listSurveys = (cursor?: string) =>
  answer(api.GET('/v1/surveys', { params: { query: { limit: '20', ...(cursor ? { cursor } : {}) } } }));

const getSurvey = (surveyId: string) =>
  answer(api.GET('/v1/surveys/{surveyId}', { params: { path: { surveyId } } }));

const getResults = (surveyId: string) =>
  answer(api.GET('/v1/surveys/{surveyId}/results', { params: { path: { surveyId } } }));

export const useSurveys = (cursor?: string) =>
  useQuery({
    queryKey: ['surveys', { cursor }],
    queryFn: () => listSurveys(cursor),
    placeholderData: keepPreviousData,
  });

export const useSurvey = (surveyId: string) =>
  useQuery({ queryKey: ['surveys', surveyId], queryFn: () => getSurvey(surveyId) });

/** Results as counted so far: asked again every few seconds while answers may still come in. */
export const useSurveyResults = (surveyId: string, open: boolean) =>
  useQuery({
    queryKey: ['surveys', surveyId, 'results'],
    queryFn: () => getResults(surveyId),
    refetchInterval: open ? 3000 : false,
  });

/**
 * Creates a survey under the id the builder made when it opened: a repeat of the same submit (a
 * double click, a retry after a lost answer) is answered the survey created the first time.
 */
export function useCreateSurvey() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: NewSurvey & { surveyId: string }) => answer(api.POST('/v1/surveys', { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['surveys'] }),
  });
}

export function useCloseSurvey() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (surveyId: string) =>
      answer(api.POST('/v1/surveys/{surveyId}/close', { params: { path: { surveyId } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['surveys'] }),
  });
}
