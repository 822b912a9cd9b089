import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** Current members, tickets not yet closed and campaigns sending now, counted by the API. */
export const getStatsNow = () => answer(api.GET('/v1/stats/now')).then((body) => body.stats);

export const useStatsNow = () => useQuery({ queryKey: ['stats', 'now'], queryFn: getStatsNow });
