import { countSegments, type SegmentCount } from './segments';

/**
 * The text a handset shows, as Chinese carriers bill it. The 【signature】 and, on marketing texts,
 * the unsubscribe line are part of the text and count in its length; carriers refuse anything
 * longer than 500 characters.
 */
export const maxSignedTextLength = 500;

/** Opt-out instructions that already satisfy the rule that every marketing text offers one. */
const optOutInstruction = /回复\s*(退订|TD|T|N|R|STOP)|退订回|reply\s+STOP|\bSTOP\s+to\b/iu;

export interface TextSigning {
  signature: string;
  /** Added to marketing texts that do not already carry an opt-out instruction. */
  unsubscribeLine: string;
  category: 'service' | 'marketing';
}

/** A text ending in one of these already ends its sentence: the unsubscribe line follows without a space. */
const sentenceEnd = /[\s。！？；，、：…!?;,.:]$/u;

/**
 * The text as sent: signature first (unless the body already starts with it), unsubscribe line last on
 * marketing, set apart by a space unless the text ends its sentence (`…八折 回复TD退订`, not
 * `…八折回复TD退订`, which reads as one phrase).
 */
export function signedText(body: string, { signature, unsubscribeLine, category }: TextSigning): string {
  const signed = body.startsWith(signature) ? body : `${signature}${body}`;
  if (category !== 'marketing' || optOutInstruction.test(signed)) return signed;
  const apart = sentenceEnd.test(signed) || /^\s/u.test(unsubscribeLine);
  return `${signed}${apart ? '' : ' '}${unsubscribeLine}`;
}

export interface TextBilling extends SegmentCount {
  /** Characters as carriers count them for the 500 limit: UTF-16 code units (an emoji is two). */
  length: number;
  /** Over maxSignedTextLength: carriers refuse it, so it is never sent. */
  tooLong: boolean;
}

export function textBilling(text: string): TextBilling {
  return { ...countSegments(text), length: text.length, tooLong: text.length > maxSignedTextLength };
}
