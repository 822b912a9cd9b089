import type zh from '../zh-CN/phone';

/** The phone simulator of the local runtime. */
export default {
  'phone.about':
    "Local runtime only: a customer's phone texting your number {number} (join, points, feedback, your keyword apps …); replies show in the thread as they arrive.",
  'phone.from': "Customer's phone",
  'phone.fromHint': 'Pick a member, or type any mobile number',
  'phone.threadWith': 'Texts of {phone} with {number}',
  'phone.thread': 'Text thread',
  'phone.noTexts': 'No texts yet',
  'phone.text': 'Text',
  'phone.textPlaceholder': 'e.g. POINTS',
  'phone.send': 'Send',
  'phone.sendFailed': 'The text was not sent',
} satisfies Record<keyof typeof zh, string>;
