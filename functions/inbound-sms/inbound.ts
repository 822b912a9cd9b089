import type { Intent } from '../../shared/domain/keywords';
import type { ReplyContext } from '../../shared/domain/replies';
import type { Merchant } from '../../shared/schemas/merchant';
import type { InboundSmsNotification } from '../../shared/schemas/sms';

/** A customer's text, routed to its merchant: what every part of inbound-sms works from. */
export interface Inbound {
  text: InboundSmsNotification;
  merchant: Merchant;
  phone: string;
  reply: ReplyContext;
  now: Date;
}

/** How a text was taken (a keyword's intent, `survey-answer`, `keyword-app`), and the reply, if any. */
export interface Handled {
  as: Intent['kind'] | 'survey-answer' | 'keyword-app';
  reply?: string;
}
