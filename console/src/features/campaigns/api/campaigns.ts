import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export type Campaign = Awaited<ReturnType<typeof getCampaign>>['campaign'];
export type CampaignStats = Awaited<ReturnType<typeof getStats>>['stats'];
export type CampaignStatus = Campaign['status'];

/** A campaign that may still send: what it shows is asked again every few seconds. */
export const isLive = (status: CampaignStatus | undefined): boolean =>
  status === 'scheduled' || status === 'running' || status === 'waiting';

const listCampaigns = (cursor?: string) =>
  answer(api.GET('/v1/campaigns', { params: { query: { limit: '50', ...(cursor ? { cursor } : {}) } } }));

const getCampaign = (campaignId: string) =>
  answer(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } }));

const getStats = (campaignId: string) =>
  answer(api.GET('/v1/campaigns/{campaignId}/stats', { params: { path: { campaignId } } }));

const refreshMs = 2000;

export const useCampaigns = (cursor?: string) =>
  useQuery({
    queryKey: ['campaigns', { cursor }],
    queryFn: () => listCampaigns(cursor),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.campaigns.some((campaign) => isLive(campaign.status)) ? refreshMs : false,
  });

export const useCampaign = (campaignId: string) =>
  useQuery({
    queryKey: ['campaigns', campaignId],
    queryFn: () => getCampaign(campaignId),
    refetchInterval: (query) => (isLive(query.state.data?.campaign.status) ? refreshMs : false),
  });

/**
 * Texts queued that the sender has not settled yet (sent, not sent or held): a campaign completes once
 * its texts are queued, and they go out after.
 */
const unsettled = (stats: CampaignStats | undefined): boolean =>
  stats !== undefined && stats.sent + stats.suppressed.total + stats.held.total < stats.targeted;

/**
 * The campaign's outcomes, asked again every few seconds while it may send or its queued texts are
 * still going out, then every half minute, as receipts and opt-outs come in.
 */
export const useCampaignStats = (campaignId: string, live: boolean) =>
  useQuery({
    queryKey: ['campaigns', campaignId, 'stats'],
    queryFn: () => getStats(campaignId),
    refetchInterval: (query) => (live || unsettled(query.state.data?.stats) ? refreshMs : 30_000),
  });

type Action = 'pause' | 'resume' | 'cancel';

/** Pause, resume or cancel: the campaign and its list are read again after. */
export function useCampaignAction() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ campaignId, action }: { campaignId: string; action: Action }) => {
      const params = { params: { path: { campaignId } } };
      if (action === 'pause') return answer(api.POST('/v1/campaigns/{campaignId}/pause', params));
      if (action === 'resume') return answer(api.POST('/v1/campaigns/{campaignId}/resume', params));
      return answer(api.POST('/v1/campaigns/{campaignId}/cancel', params));
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ['campaigns'] }),
  });
}
