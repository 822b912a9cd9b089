import { describe, expect, it } from 'vitest';
import { type MarkedPage, markedLocal } from '../../../console/src/lib/runtime-mark';

/** A page whose head holds these meta tags, as far as markedLocal looks. */
const pageWith = (meta: Record<string, string>): MarkedPage => ({
  querySelector: (selector) => {
    const name = /meta\[name="([^"]+)"\]/.exec(selector)?.[1] ?? '';
    const content = meta[name];
    return content === undefined
      ? null
      : { getAttribute: (attribute) => (attribute === 'content' ? content : null) };
  },
});

describe('markedLocal', () => {
  it('is true on a page the local runtime marked', () => {
    expect(markedLocal(pageWith({ 'mcrm-runtime': 'local' }))).toBe(true);
  });

  it('is false on the build as CloudFront serves it, unmarked, and outside a browser', () => {
    expect(markedLocal(pageWith({}))).toBe(false);
    expect(markedLocal(pageWith({ 'mcrm-runtime': 'aws' }))).toBe(false);
    expect(markedLocal(undefined)).toBe(false);
  });
});
