import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { ApiError } from '../../../lib/errors';

/** What the composer reads (templates, surveys, audiences, the shop's zone and price) and writes. */

export type NewCampaign = paths['/v1/campaigns']['post']['requestBody']['content']['application/json'];
type TextPreviewRequest =
  paths['/v1/templates/preview']['post']['requestBody']['content']['application/json'];

/** The first page of each: a composer offers the latest fifty. */
const firstPage = { params: { query: { limit: '50' } } };

export const useTemplateChoices = () =>
  useQuery({
    queryKey: ['templates', { cursor: undefined }],
    queryFn: () => answer(api.GET('/v1/templates', firstPage)),
  });

export const useSurveyChoices = () =>
  useQuery({ queryKey: ['surveys', 'open'], queryFn: () => answer(api.GET('/v1/surveys', firstPage)) });

export const useAudienceChoices = () =>
  useQuery({
    queryKey: ['audiences', { cursor: undefined }],
    queryFn: () => answer(api.GET('/v1/audiences', firstPage)),
  });

/** The shop's time zone (recurring schedules are read in it) with its sending settings. */
export const useSendingZone = () =>
  useQuery({
    queryKey: ['settings', 'sending', 'zone'],
    queryFn: () => answer(api.GET('/v1/settings/sending')),
  });

/** How many of the saved audience a text of the template (a marketing text when none) reaches now. */
export const useReach = (audienceId: string | undefined, templateId: string | undefined) =>
  useQuery({
    queryKey: ['audience-preview', { audienceId, templateId }],
    queryFn: () =>
      answer(
        api.POST('/v1/audiences/preview', {
          body: { audienceId: audienceId as string, ...(templateId ? { templateId } : {}), sampleSize: 0 },
        }),
      ),
    enabled: audienceId !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
  });

/** The text as members read it: its parts and what it costs each. */
export const useTextCost = (request: TextPreviewRequest | undefined) =>
  useQuery({
    queryKey: ['template-preview', request],
    queryFn: () => answer(api.POST('/v1/templates/preview', { body: request as TextPreviewRequest })),
    enabled: request !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
  });

/** A draft the composer created: its id, and the survey it sends (none for a template). */
export interface MadeDraft {
  campaignId: string;
  surveyId?: string;
}

const patchDraft = (campaignId: string, { surveyId: _kept, ...change }: Omit<NewCampaign, 'campaignId'>) =>
  answer(api.PATCH('/v1/campaigns/{campaignId}', { params: { path: { campaignId } }, body: change }));

/**
 * Writes the composer's draft: created under the id the page made when it opened (a double click, a
 * lost answer and its retry create it once), changed by PATCH once it exists, or when a create whose
 * answer was lost made it with other fields (409). A draft's survey stays as created, so a draft
 * changing what it sends is another campaign, under `nextId`.
 */
export async function saveDraft(
  made: MadeDraft | undefined,
  campaignId: string,
  nextId: () => string,
  body: Omit<NewCampaign, 'campaignId'>,
) {
  if (made && made.surveyId === body.surveyId) return patchDraft(made.campaignId, body);
  const id = made ? nextId() : campaignId;
  try {
    return await answer(api.POST('/v1/campaigns', { body: { ...body, campaignId: id } }));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'campaign_exists') return patchDraft(id, body);
    throw error;
  }
}

/** Invalidates the campaign lists after `write`. */
export function useCampaignWrite<Input, Answer>(write: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => queries.invalidateQueries({ queryKey: ['campaigns'] }),
  });
}

export const testCampaign = (campaignId: string) =>
  answer(api.POST('/v1/campaigns/{campaignId}/test', { params: { path: { campaignId } } }));

/**
 * Schedules the draft. A repeat after a lost answer finds it scheduled already (409): the campaign as
 * it is then is the answer.
 */
export async function scheduleCampaign(campaignId: string) {
  const params = { params: { path: { campaignId } } };
  try {
    return await answer(api.POST('/v1/campaigns/{campaignId}/schedule', params));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409) throw error;
    const now = await answer(api.GET('/v1/campaigns/{campaignId}', params));
    if (now.campaign.status === 'draft') throw error;
    return now;
  }
}
