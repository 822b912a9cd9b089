import { describe, expect, it } from 'vitest';
import type { MarketingConsent, Member } from '../../../shared/schemas/member';
import { membersStore } from '../../../shared/store/members';
import { newPhone, testEnv } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));

const member = (merchantId: string, phone: string): Member => ({
  merchantId,
  memberId: `mem-${phone}`,
  phone,
  name: '张三',
  joinedAt: '2026-11-23T01:00:00.000Z',
  joinChannel: 'sms',
  joinRef: 'msg-1',
  points: 0,
});

const consent = (status: MarketingConsent['status'], ref: string): MarketingConsent => ({
  status,
  changedAt: '2026-11-23T02:00:00.000Z',
  channel: 'sms-keyword',
  source: status === 'unsubscribed' ? 'TD' : '订阅',
  ref,
});

describe('members store', () => {
  it('registers a phone once per merchant; the same phone is a separate member at another merchant', async () => {
    const phone = newPhone();
    expect(await members.register(member('shop-a', phone))).toBe(true);
    expect(await members.register({ ...member('shop-a', phone), name: '李四' })).toBe(false);
    expect((await members.contact('shop-a', phone)).member?.name).toBe('张三');
    expect(await members.contact('shop-b', phone)).toEqual({});
    expect(await members.register(member('shop-b', phone))).toBe(true);
  });

  it('keeps consent per phone, for members and for phones that never joined', async () => {
    const phone = newPhone();
    expect(await members.recordMarketingConsent('shop-c', phone, consent('unsubscribed', 'msg-2'))).toBe(
      true,
    );
    expect(await members.recordMarketingConsent('shop-c', phone, consent('unsubscribed', 'msg-3'))).toBe(
      false,
    );
    expect(await members.contact('shop-c', phone)).toEqual({ marketing: consent('unsubscribed', 'msg-2') });

    await members.register(member('shop-c', phone));
    const contact = await members.contact('shop-c', phone);
    expect(contact.member?.phone).toBe(phone);
    expect(contact.marketing?.status).toBe('unsubscribed');

    expect(await members.recordMarketingConsent('shop-c', phone, consent('subscribed', 'msg-4'))).toBe(true);
    expect((await members.contact('shop-c', phone)).marketing?.status).toBe('subscribed');
  });
});
