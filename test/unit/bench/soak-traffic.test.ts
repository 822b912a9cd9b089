import { describe, expect, it } from 'vitest';
import { type Customer, nextText } from '../../../bench/soak-traffic';

const stranger = (): Customer => ({
  phone: '+8613810000000',
  name: '顾客0',
  member: false,
  subscribed: false,
  points: 0,
  busy: false,
});
const member = (overrides: Partial<Customer> = {}): Customer => ({
  ...stranger(),
  member: true,
  subscribed: true,
  ...overrides,
});
/** A draw that always returns `value`: picks the branch of the traffic mix at that share. */
const always = (value: number) => () => value;

describe('the soak traffic', () => {
  it('has a stranger join, owed a welcome, and a member and opted in after', () => {
    const customer = stranger();
    const text = nextText(customer, always(0.1), 'in-1');
    expect(text).toMatchObject({ kind: 'join', body: '注册 顾客0', messageId: 'in-1', replied: true });
    text.apply(customer);
    expect(customer).toMatchObject({ member: true, subscribed: true, last: { body: '注册 顾客0' } });
  });

  it('owes an opt-out a reply only when it changes the consent', () => {
    const customer = member();
    const first = nextText(customer, always(0.75), 'in-1');
    expect(first).toMatchObject({ kind: 'opt-out', body: '退订', replied: true });
    first.apply(customer);
    expect(customer.subscribed).toBe(false);
    expect(nextText(customer, always(0.75), 'in-2')).toMatchObject({ kind: 'opt-out', replied: false });
    expect(nextText(customer, always(0.85), 'in-3')).toMatchObject({
      kind: 'opt-in',
      body: '订阅',
      replied: true,
    });
  });

  it('answers the survey it started, question by question, and then only asks for it again', () => {
    const customer = member();
    nextText(customer, always(0.6), 'in-1').apply(customer);
    expect(customer.surveyStep).toBe(0);
    const answers = ['in-2', 'in-3', 'in-4'].map((id) => {
      const text = nextText(customer, always(0.3), id);
      text.apply(customer);
      return [text.kind, text.body];
    });
    expect(answers).toEqual([
      ['survey answer', '1'],
      ['survey answer', '5'],
      ['survey answer', '花很新鲜，包装也好看'],
    ]);
    expect(customer).toMatchObject({ surveyStep: undefined, surveyDone: true });
    nextText(customer, always(0.6), 'in-5').apply(customer);
    expect(customer.surveyStep).toBeUndefined();
  });

  it('replays the last text under its own id, owed nothing more', () => {
    const customer = member();
    nextText(customer, always(0.3), 'in-1').apply(customer);
    expect(nextText(customer, always(0.01), 'in-2')).toMatchObject({
      kind: 'replay',
      body: '积分',
      messageId: 'in-1',
      replied: false,
    });
  });
});
