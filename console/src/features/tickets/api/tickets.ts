import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type TicketStatus = NonNullable<
  NonNullable<paths['/v1/tickets']['get']['parameters']['query']>['status']
>;
export type Ticket = Awaited<ReturnType<typeof getTicket>>;

const ticketsKey = ['tickets'];

/** A page of tickets with one status, newest first. */
export const listTickets = (status: TicketStatus, cursor?: string) =>
  answer(
    api.GET('/v1/tickets', { params: { query: { status, limit: '20', ...(cursor ? { cursor } : {}) } } }),
  );

export const useTickets = (status: TicketStatus, cursor?: string) =>
  useQuery({
    queryKey: [...ticketsKey, 'list', status, cursor],
    queryFn: () => listTickets(status, cursor),
    placeholderData: keepPreviousData,
  });

export const getTicket = (ticketId: string) =>
  answer(api.GET('/v1/tickets/{ticketId}', { params: { path: { ticketId } } })).then((a) => a.ticket);

export const useTicket = (ticketId: string) =>
  useQuery({ queryKey: [...ticketsKey, 'one', ticketId], queryFn: () => getTicket(ticketId) });

/** How many tickets wait for a first answer: one counter item read, so the menu may ask often. */
export const countOpenTickets = () => answer(api.GET('/v1/tickets/counts')).then((a) => a.counts.open);

export const openTicketsKey = [...ticketsKey, 'open-count'];

/** The count beside the menu's Tickets entry: asked again every minute, and when a page opens (see the layout). */
export const useOpenTicketCount = (enabled: boolean) =>
  useQuery({ queryKey: openTicketsKey, queryFn: countOpenTickets, enabled, refetchInterval: 60_000 });

/** Texts the member the answer, once per key however often it is sent. */
export const answerTicket = ({ ticketId, text, key }: { ticketId: string; text: string; key: string }) =>
  answer(
    api.POST('/v1/tickets/{ticketId}/answer', {
      params: { path: { ticketId }, header: { 'Idempotency-Key': key } },
      body: { text },
    }),
  ).then((a) => a.ticket);

export const closeTicket = (ticketId: string) =>
  answer(api.POST('/v1/tickets/{ticketId}/close', { params: { path: { ticketId } } })).then((a) => a.ticket);

function useTicketChange<Input>(mutationFn: (input: Input) => Promise<Ticket>) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (ticket) => {
      queries.setQueryData([...ticketsKey, 'one', ticket.ticketId], ticket);
      return queries.invalidateQueries({ queryKey: ticketsKey });
    },
  });
}

export const useAnswerTicket = () => useTicketChange(answerTicket);
export const useCloseTicket = () => useTicketChange(closeTicket);
