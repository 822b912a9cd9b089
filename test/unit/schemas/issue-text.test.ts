import { describe, expect, it } from 'vitest';
import { issueText } from '../../../shared/schemas/issue-text';

describe('a problem with a field, as the merchant reads it', () => {
  it.each([
    [
      'birthday',
      'birthday: a real date as YYYY-MM-DD or YYYYMMDD',
      'birthday: a real date as YYYY-MM-DD or YYYYMMDD',
    ],
    ['birthday', 'birthday must be a past date after 1900', 'birthday must be a past date after 1900'],
    ['marketingHours.end', 'end: HH:MM on a 24-hour clock', 'marketingHours.end: HH:MM on a 24-hour clock'],
    ['tags.0', 'too long', 'tags.0: too long'],
    ['phone', 'phoneNumber is not one', 'phone: phoneNumber is not one'],
    ['', 'the body is not an object', 'the body is not an object'],
  ])('%s with "%s" reads "%s"', (path, message, text) => {
    expect(issueText(path, message)).toBe(text);
  });
});
