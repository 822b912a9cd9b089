import { describe, expect, it } from 'vitest';
import { campaignCategory, recipientReach, registrationProblem } from '../../../shared/domain/reach';
import type { Contact } from '../../../shared/schemas/member';

const signature = '【花店】';
const approved = { providerTemplateId: 'SMS_1', signature, status: 'approved' as const };
const service = { templateId: 'pickup', category: 'service' as const };

describe('campaignCategory', () => {
  it('is service only for a service template registered and approved under the signature', () => {
    expect(campaignCategory({ ...service, registration: approved }, signature)).toBe('service');
    expect(campaignCategory(service, signature)).toBe('marketing');
    expect(
      campaignCategory({ ...service, registration: { ...approved, status: 'pending' } }, signature),
    ).toBe('marketing');
    expect(
      campaignCategory({ ...service, registration: { ...approved, signature: '【别家】' } }, signature),
    ).toBe('marketing');
    expect(campaignCategory({ ...service, category: 'marketing', registration: approved }, signature)).toBe(
      'marketing',
    );
    expect(campaignCategory(undefined, signature)).toBe('marketing');
  });

  it('says why a template does not pass as registered', () => {
    expect(registrationProblem(service, signature)).toBe('pickup is not registered with the provider');
    expect(registrationProblem({ ...service, registration: approved }, signature)).toBeUndefined();
  });
});

describe('recipientReach', () => {
  const at = {
    changedAt: '2026-01-01T00:00:00.000Z',
    channel: 'merchant-api',
    source: 'form',
    ref: 'r',
  } as const;
  const subscribed: Contact = { marketing: { status: 'subscribed', ...at } };
  const unsubscribed: Contact = { marketing: { status: 'unsubscribed', ...at } };
  const complained: Contact = {
    ...subscribed,
    suppression: { reason: 'complaint', at: at.changedAt, channel: 'sms-keyword', source: '投诉', ref: 'c' },
  };
  const phone = '+8613800138000';

  it.each([
    ['marketing', subscribed, 'reachable'],
    ['marketing', {}, 'no-consent'],
    ['marketing', unsubscribed, 'opted-out'],
    ['marketing', complained, 'complaint'],
    ['service', subscribed, 'reachable'],
    ['service', {}, 'service-notice'],
    ['service', complained, 'service-notice'],
    ['service', unsubscribed, 'service-notice'],
  ] as const)('a %s text to %j is %s', (category, contact, reach) => {
    expect(recipientReach(phone, contact, category, 'CN')).toBe(reach);
  });

  it('reaches no invalid number, whatever its consent', () => {
    expect(recipientReach('+86123', subscribed, 'marketing', 'CN')).toBe('invalid-number');
    expect(recipientReach('+86123', {}, 'service', 'CN')).toBe('invalid-number');
  });
});
