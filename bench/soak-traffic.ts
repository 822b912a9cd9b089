/**
 * What the soak's customers text, and what the soak expects back. Pure: a customer's state and a
 * random draw in, the next text out; the soak applies the text's effect once the runtime took it.
 */

/** One simulated phone, as the soak believes the runtime sees it. */
export interface Customer {
  phone: string;
  name: string;
  member: boolean;
  /** Takes marketing texts: opted in when joining or when added, out after 退订, in again after 订阅. */
  subscribed: boolean;
  /** Questions answered of the survey open for the phone; undefined when none is open. */
  surveyStep?: number;
  /** Answered the whole survey: 调查 is then only thanked again. */
  surveyDone?: boolean;
  /** Points the soak earned for the member through the API. */
  points: number;
  /** A text of this customer's is being handled: their texts go one at a time, as a person types. */
  busy: boolean;
  /** The last text taken, which the provider may deliver again. */
  last?: { body: string; messageId: string };
}

export const textKinds = [
  'join',
  'points',
  'feedback',
  'survey start',
  'survey answer',
  'opt-out',
  'opt-in',
  'help',
  'replay',
] as const;
export type TextKind = (typeof textKinds)[number];

export interface NextText {
  kind: TextKind;
  body: string;
  /** The provider's inbound message id: a replay repeats the last one. */
  messageId: string;
  /** Whether the text is owed a reply of its own (a replay is answered once, the first time). */
  replied: boolean;
  /** The customer's state once the runtime took the text. */
  apply(customer: Customer): void;
}

/** The survey's three questions (a choice, a rating, free text), answered in turn. */
const surveyAnswers = ['1', '5', '花很新鲜，包装也好看'];

/**
 * A stranger mostly joins (sometimes asks for points first, and is told how to join). A member in a
 * survey answers its next question; otherwise asks for points, gives feedback, starts the survey, opts
 * out (answered only when it changes something), opts back in, asks for help, or the provider delivers
 * their last text again.
 */
export function nextText(customer: Customer, random: () => number, messageId: string): NextText {
  const text = (
    kind: TextKind,
    body: string,
    apply: (c: Customer) => void = () => undefined,
    replied = true,
  ) => ({
    kind,
    body,
    messageId,
    replied,
    apply(c: Customer) {
      apply(c);
      c.last = { body, messageId };
    },
  });
  if (!customer.member) {
    return random() < 0.85
      ? text('join', `注册 ${customer.name}`, (c) => Object.assign(c, { member: true, subscribed: true }))
      : text('points', '积分');
  }
  const step = customer.surveyStep;
  if (step !== undefined) {
    return text('survey answer', surveyAnswers[step] ?? '', (c) => {
      const done = step + 1 >= surveyAnswers.length;
      Object.assign(c, { surveyStep: done ? undefined : step + 1, surveyDone: done });
    });
  }
  const draw = random();
  if (draw < 0.05 && customer.last) {
    const { body, messageId: again } = customer.last;
    return { kind: 'replay', body, messageId: again, replied: false, apply: () => undefined };
  }
  if (draw < 0.4) return text('points', '积分');
  if (draw < 0.55) return text('feedback', '反馈 周末送花能早点到吗');
  if (draw < 0.7) {
    return text('survey start', '调查', (c) =>
      Object.assign(c, { surveyStep: c.surveyDone ? undefined : 0 }),
    );
  }
  if (draw < 0.8) {
    return text('opt-out', '退订', (c) => Object.assign(c, { subscribed: false }), customer.subscribed);
  }
  if (draw < 0.88 && !customer.subscribed) {
    return text('opt-in', '订阅', (c) => Object.assign(c, { subscribed: true }));
  }
  return text('help', '帮助');
}
