import type zh from '../zh-CN/tickets';

/** The tickets inbox: feedback, complaints and suggestions members texted. */
export default {
  'tickets.about':
    'A member who texts 反馈 (feedback), 投诉 (complaint) or 建议 (suggestion) with a message opens a ticket; your answer reaches them by SMS under its number.',
  'tickets.tab.open': 'Open',
  'tickets.tab.answered': 'Answered',
  'tickets.tab.closed': 'Closed',
  'tickets.none.open': 'No ticket waits for an answer',
  'tickets.none.answered': 'No answered tickets',
  'tickets.none.closed': 'No closed tickets',
  'tickets.type.feedback': 'Feedback',
  'tickets.type.complaint': 'Complaint',
  'tickets.type.suggestion': 'Suggestion',
  'tickets.status.open': 'Open',
  'tickets.status.answered': 'Answered',
  'tickets.status.closed': 'Closed',
  'tickets.open': 'Open ticket {n}',
  'tickets.title': 'Ticket #{n}',
  'tickets.conversation': 'Conversation',
  'tickets.answerN': 'Answer {n}',
  'tickets.closedAt': 'closed {at}',
  'tickets.reply': 'Answer',
  'tickets.answer': 'Answer',
  'tickets.answerHint': 'Texted to the member with your signature and the ticket number.',
  'tickets.answerRequired': 'Write the answer',
  'tickets.send': 'Send answer',
  'tickets.cancel': 'Cancel',
  'tickets.answerFailed': 'Could not send the answer',
  'tickets.close': 'Close ticket',
  'tickets.closeConfirm': 'Close ticket #{n}?',
  'tickets.closeHint':
    "A closed ticket takes no more answers. A complaint's hold on marketing is cleared on the member's page.",
  'tickets.closeFailed': 'Could not close the ticket',
  'tickets.loadFailed': 'Could not load the tickets',
  'tickets.loadOneFailed': 'Could not load the ticket',
  'tickets.openCount': '{n} open',
} satisfies Record<keyof typeof zh, string>;
