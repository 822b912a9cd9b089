import { replies } from '../../shared/domain/replies';
import type { TicketType } from '../../shared/schemas/ticket';
import type { TicketsStore } from '../../shared/store/tickets';
import type { Inbound } from './inbound';

export interface TicketInboundDeps {
  tickets: Pick<TicketsStore, 'open'>;
}

/**
 * Opens a ticket for the member's text (feedback, a complaint or a suggestion) and answers with its
 * number, which the merchant's answer will quote. The same text delivered again opens no second
 * ticket and is answered with the first one's number.
 */
export async function openTicket(
  type: TicketType,
  inbound: Inbound,
  deps: TicketInboundDeps,
): Promise<string> {
  const { text, merchant, phone, reply, now } = inbound;
  const { ticket } = await deps.tickets.open({
    merchantId: merchant.merchantId,
    type,
    phone,
    message: text.messageBody.trim(),
    inboundMessageId: text.inboundMessageId,
    openedAt: now.toISOString(),
  });
  const number = Number(ticket.ticketId);
  return type === 'complaint'
    ? replies.complaintTicket(reply, number)
    : replies.feedbackTicket(reply, type, number);
}
