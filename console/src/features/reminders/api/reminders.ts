import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type NewReminder = paths['/v1/reminders']['post']['requestBody']['content']['application/json'];
export type Reminder = Awaited<ReturnType<typeof listReminders>>['reminders'][number];

const listReminders = (cursor?: string) =>
  answer(api.GET('/v1/reminders', { params: { query: { limit: '20', ...(cursor ? { cursor } : {}) } } }));

export const useReminders = (cursor?: string) =>
  useQuery({
    queryKey: ['reminders', { cursor }],
    queryFn: () => listReminders(cursor),
    placeholderData: keepPreviousData,
  });

function useReminderChange<Input, Answer>(mutationFn: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey: ['reminders'] }) });
}

/**
 * Schedules a reminder under the id the form made when it opened: a double click, or a retry after a
 * lost answer, schedules it once.
 */
export const useCreateReminder = () =>
  useReminderChange((body: NewReminder & { reminderId: string }) =>
    answer(api.POST('/v1/reminders', { body })),
  );

export const useCancelReminder = () =>
  useReminderChange((reminderId: string) =>
    answer(api.DELETE('/v1/reminders/{reminderId}', { params: { path: { reminderId } } })),
  );
