import { describe, expect, it } from 'vitest';
import { countSegments } from '../../../shared/domain/segments';

describe('countSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['€'.repeat(80), 'GSM-7', 160, 1],
    [`${'a'.repeat(159)}€`, 'GSM-7', 161, 2],
    ['积'.repeat(70), 'UCS-2', 70, 1],
    ['积'.repeat(71), 'UCS-2', 71, 2],
    ['积'.repeat(134), 'UCS-2', 134, 2],
    ['积'.repeat(135), 'UCS-2', 135, 3],
    [`${'a'.repeat(69)}😀`, 'UCS-2', 71, 2],
  ])('%#: %s units of %s', (text, encoding, units, segments) => {
    expect(countSegments(text)).toEqual({ encoding, units, segments });
  });
});
