import { describe, expect, it } from 'vitest';
import { touchedIds } from '../../../shared/domain/audit';
import { isPhoneProof, phoneProof, pseudonymsOf, textProof } from '../../../shared/domain/phone-proof';

describe("a phone's proof", () => {
  it('is the same for the same phone and key, differs by phone and by key, and shows no digit run of the phone', () => {
    const proof = phoneProof('key-1', '+8613800138000');
    expect(proof).toBe(phoneProof('key-1', '+8613800138000'));
    expect(proof).not.toBe(phoneProof('key-1', '+8613800138001'));
    expect(proof).not.toBe(phoneProof('key-2', '+8613800138000'));
    expect(proof).toMatch(/^hmac:[\w-]{43}$/);
    expect(proof).not.toContain('13800138000');
    expect(isPhoneProof(proof)).toBe(true);
    expect(isPhoneProof('+8613800138000')).toBe(false);
  });

  it("keeps a text as a proof unlike the phone's, so a text equal to a phone is not mistaken for it", () => {
    const { proof, text } = pseudonymsOf('key-1', '+8613800138000');
    expect(text('退订')).toBe(textProof('key-1', '退订'));
    expect(text('+8613800138000')).not.toBe(proof);
  });

  it('is what the audit log names for an erasure, never the erased phone in the path', () => {
    const proof = phoneProof('key-1', '+8613800138000');
    expect(
      touchedIds({ phone: '+8613800138000' }, { erasure: { phoneProof: proof, memberId: 'm1' } }),
    ).toEqual({
      phone: proof,
      memberId: 'm1',
    });
    expect(touchedIds({ phone: '+8613800138000' }, { member: { memberId: 'm1' } })).toEqual({
      phone: '+8613800138000',
      memberId: 'm1',
    });
  });
});
