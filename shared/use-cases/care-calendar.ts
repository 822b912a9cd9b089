import { consentRefusal, type MarketingRefusal } from '../domain/consent';
import { signedText, textBilling } from '../domain/sms-text';
import { addDays, daysBetween } from '../domain/time';
import type { CareSettings, Occasion } from '../schemas/care';
import type { Contact } from '../schemas/member';
import type { Merchant } from '../schemas/merchant';
import { type CareDeps, type CareText, previewCare } from './care-texts';

/** A care text as the member would receive it, and why consent would stop it, if it would. */
export interface PreviewedText {
  occasion: Occasion;
  to: string;
  text: string;
  category: 'service' | 'marketing';
  segments: number;
  skipped?: string;
}

const consentReasons: Record<MarketingRefusal, string> = {
  'opted-out': 'opted out of marketing',
  'no-consent': 'never opted in to marketing',
  complaint: 'complained; marketing held until the complaint is cleared',
};

/** The texts signed as they would go, with their part count and what consent would stop. */
export function previewedTexts(
  merchant: Merchant,
  texts: readonly CareText[],
  contactOf: (phone: string) => Promise<Contact>,
): Promise<PreviewedText[]> {
  return Promise.all(
    texts.map(async (text) => {
      const signed = signedText(text.body, {
        signature: merchant.signature,
        unsubscribeLine: merchant.sending.unsubscribeLine,
        category: text.category,
      });
      const stopped = consentRefusal(text, await contactOf(text.to));
      return {
        occasion: text.occasion,
        to: text.to,
        text: signed,
        category: text.category,
        segments: textBilling(signed).segments,
        ...(stopped ? { skipped: consentReasons[stopped] } : {}),
      };
    }),
  );
}

/** The longest stretch one calendar covers: each day is a dry run of its own. */
export const maxCalendarDays = 30;
/** The most texts of one day listed in a calendar answer; the rest are only counted. */
export const maxListedTexts = 200;

export interface CalendarDay {
  date: string;
  /** Per occasion: the texts that would go, and those consent would stop. */
  occasions: { occasion: Occasion; count: number; skipped: number }[];
  /** Only for the day asked for by `textsOn`. */
  texts?: PreviewedText[];
  textsLeftOut?: number;
}

export interface CalendarRequest {
  from: string;
  days: number;
  /** The day whose texts are listed, not only counted. */
  textsOn?: string;
}

/**
 * The dry run of `days` days from `from`, with the settings given (saved or a draft): per day the
 * texts by occasion. A text whose send-once id came up on an earlier day of the stretch is not
 * counted again, as send-sms would not send it again (a reminder per expiring lot, per low balance).
 * Each day is run as the care job would run it then: `now` moved by as many days as the date is from
 * `today`. Nothing is sent or recorded.
 */
export async function careCalendar(
  merchant: Merchant,
  settings: CareSettings,
  request: CalendarRequest,
  today: string,
  now: Date,
  deps: CareDeps,
): Promise<CalendarDay[]> {
  const dates = Array.from({ length: Math.min(request.days, maxCalendarDays) }, (_, i) =>
    addDays(request.from, i),
  );
  const textsByDay = await Promise.all(
    dates.map((date) => {
      const then = new Date(now.getTime() + daysBetween(today, date) * 86_400_000);
      return previewCare(merchant, settings, date, then, deps);
    }),
  );
  // One read per phone for the whole stretch: the same members come up on many days.
  const contacts = new Map<string, Promise<Contact>>();
  const contactOf = (phone: string) => {
    let contact = contacts.get(phone);
    if (!contact) {
      contact = deps.members.contact(merchant.merchantId, phone);
      contacts.set(phone, contact);
    }
    return contact;
  };
  const seen = new Set<string>();
  const days: CalendarDay[] = [];
  for (const [i, date] of dates.entries()) {
    const fresh = (textsByDay[i] ?? []).filter((text) => !seen.has(text.messageId));
    for (const text of fresh) seen.add(text.messageId);
    const previewed = await previewedTexts(merchant, fresh, contactOf);
    const occasions = new Map<Occasion, { occasion: Occasion; count: number; skipped: number }>();
    for (const text of previewed) {
      const tally = occasions.get(text.occasion) ?? { occasion: text.occasion, count: 0, skipped: 0 };
      if (text.skipped) tally.skipped += 1;
      else tally.count += 1;
      occasions.set(text.occasion, tally);
    }
    const listed =
      date === request.textsOn
        ? {
            texts: previewed.slice(0, maxListedTexts),
            ...(previewed.length > maxListedTexts ? { textsLeftOut: previewed.length - maxListedTexts } : {}),
          }
        : {};
    days.push({ date, occasions: [...occasions.values()], ...listed });
  }
  return days;
}
