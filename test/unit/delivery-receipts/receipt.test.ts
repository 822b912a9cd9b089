import { describe, expect, it } from 'vitest';
import { readSmsEvent } from '../../../functions/delivery-receipts/receipt';
import { receiptEventTypes, type SmsEvent, undeliveredEventTypes } from '../../../shared/schemas/sms-event';

const at = new Date('2027-03-01T02:00:00.000Z');
const event = (eventType: string, overrides: Partial<SmsEvent> = {}): SmsEvent => ({
  eventType,
  eventTimestamp: at.getTime(),
  isFinal: true,
  messageId: 'provider-1',
  context: { merchantId: 'shop-1', messageId: 'campaign#c1#run#m1' },
  ...overrides,
});
const message = { merchantId: 'shop-1', messageId: 'campaign#c1#run#m1' };

describe('readSmsEvent', () => {
  it.each(['TEXT_DELIVERED', 'TEXT_SUCCESSFUL'])('reads a final %s as delivered', (type) => {
    expect(readSmsEvent(event(type))).toEqual({
      kind: 'receipt',
      message,
      receipt: { status: 'delivered', at, providerMessageId: 'provider-1' },
      complaint: false,
    });
  });

  it.each(Object.entries(undeliveredEventTypes))('reads a final %s as undelivered: %s', (type, reason) => {
    expect(readSmsEvent(event(type))).toEqual({
      kind: 'receipt',
      message,
      receipt: { status: 'undelivered', reason, at, providerMessageId: 'provider-1' },
      complaint: type === 'TEXT_SPAM',
    });
  });

  it('waits for the final word: a transient failure or an early success settles nothing', () => {
    expect(readSmsEvent(event('TEXT_CARRIER_UNREACHABLE', { isFinal: false }))).toMatchObject({
      kind: 'ignored',
    });
    expect(readSmsEvent(event('TEXT_SUCCESSFUL', { isFinal: false }))).toMatchObject({ kind: 'ignored' });
  });

  it('ignores progress events, unknown types, and texts without our context', () => {
    expect(readSmsEvent(event('TEXT_QUEUED'))).toMatchObject({ kind: 'ignored' });
    expect(readSmsEvent(event('VOICE_COMPLETED'))).toMatchObject({ kind: 'ignored' });
    expect(readSmsEvent(event('TEXT_DELIVERED', { context: undefined }))).toMatchObject({ kind: 'ignored' });
    expect(readSmsEvent(event('TEXT_DELIVERED', { context: { account: 'other' } }))).toMatchObject({
      kind: 'ignored',
    });
  });

  it('is told of exactly the event types it settles messages by', () => {
    const settling = receiptEventTypes.filter((type) => readSmsEvent(event(type)).kind === 'receipt');
    expect(settling).toEqual(receiptEventTypes);
  });
});
