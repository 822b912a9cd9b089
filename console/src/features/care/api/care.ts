import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { ApiError } from '../../../lib/errors';

export type CareSettingsInput =
  paths['/v1/care/settings']['put']['requestBody']['content']['application/json'];
export type CareSettings = Awaited<ReturnType<typeof getCareSettings>>;
type CalendarRequest = paths['/v1/care/preview']['post']['requestBody']['content']['application/json'];
export type CalendarPreview = Awaited<ReturnType<typeof previewCalendar>>;
export type CalendarDay = CalendarPreview['days'][number];
export type PreviewedText = NonNullable<CalendarDay['texts']>[number];
export type Festival = Awaited<ReturnType<typeof listFestivals>>['festivals'][number];

const settingsKey = ['care', 'settings'];

/** The shop's care settings, or null while care has not been set up (the editor starts empty). */
export const getCareSettings = async () => {
  try {
    return (await answer(api.GET('/v1/care/settings'))).care;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'care_not_set_up') return null;
    throw error;
  }
};

export const useCareSettings = () => useQuery({ queryKey: settingsKey, queryFn: getCareSettings });

/**
 * Replaces the care settings whole. A PUT sent twice leaves what one leaves, so a repeat (a double
 * click, a retry after a lost answer) is harmless; the page sends one at a time.
 */
export function useSaveCareSettings() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: CareSettingsInput) =>
      answer(api.PUT('/v1/care/settings', { body })).then((a) => a.care),
    onSuccess: (saved) => {
      queries.setQueryData(settingsKey, saved);
      return queries.invalidateQueries({ queryKey: ['care', 'calendar'] });
    },
  });
}

/** Every festival with its date this year and next, from the calendar the care job greets by. */
export const listFestivals = () =>
  answer(api.GET('/v1/care/festivals')).then((body) => body.festivalCalendar);

export const useFestivals = () =>
  useQuery({ queryKey: ['care', 'festivals'], queryFn: listFestivals, staleTime: 60 * 60_000 });

/** The dry run of up to 30 days for the settings given (the draft being edited): nothing is saved. */
export const previewCalendar = (body: CalendarRequest) =>
  answer(api.POST('/v1/care/preview', { body })).then((a) => a.preview);

/**
 * The calendar of the draft from `from`, asked again when the draft has rested (the caller
 * debounces); the last calendar stays on screen while the next is on its way. With `textsOn`, that
 * day's texts come too (the same stretch, so a reminder counted on an earlier day is left out there).
 */
export const useCalendar = (request: CalendarRequest | undefined) =>
  useQuery({
    queryKey: ['care', 'calendar', request],
    queryFn: () => previewCalendar(request as CalendarRequest),
    enabled: request !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 30_000,
  });

/** The shop's tiers and benefits, to address greetings and name a birthday benefit. */
export const useTiers = () =>
  useQuery({
    queryKey: ['settings', 'loyalty'],
    queryFn: () => answer(api.GET('/v1/settings/loyalty')).then((body) => body.loyalty),
    select: (loyalty) => loyalty.tiers,
  });

export const useBenefits = () =>
  useQuery({
    queryKey: ['benefits'],
    queryFn: () => answer(api.GET('/v1/benefits')).then((b) => b.benefits),
  });
