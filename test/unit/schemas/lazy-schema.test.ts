import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lazySchema } from '../../../shared/lazy-schema';

describe('lazySchema', () => {
  it('builds the schema on first use, once', () => {
    let builds = 0;
    const schema = lazySchema(() => {
      builds++;
      return z.object({ name: z.string().min(1) });
    });
    expect(builds).toBe(0);
    expect(schema.parse({ name: 'Li' })).toEqual({ name: 'Li' });
    expect(schema.safeParse({ name: '' }).success).toBe(false);
    expect(builds).toBe(1);
  });

  it('goes wherever the schema it stands for goes', () => {
    const phone = lazySchema(() => z.string().regex(/^\+\d+$/, 'phone: + and digits'));
    const member = lazySchema(() => z.object({ phone, tags: z.array(z.string()).default([]) }));
    expect(phone).toBeInstanceOf(z.ZodString);
    expect(member).toBeInstanceOf(z.ZodObject);
    expect(member.shape.phone).toBe(phone);
    expect(member.extend({ city: z.string() }).parse({ phone: '+86', city: 'Hangzhou' })).toEqual({
      phone: '+86',
      tags: [],
      city: 'Hangzhou',
    });
    expect(phone.optional().parse(undefined)).toBeUndefined();
    const refused = member.safeParse({ phone: '86' });
    expect(refused.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['phone'], 'phone: + and digits'],
    ]);
    expect(z.toJSONSchema(member, { io: 'input' })).toEqual(
      z.toJSONSchema(
        z.object({ phone: z.string().regex(/^\+\d+$/), tags: z.array(z.string()).default([]) }),
        {
          io: 'input',
        },
      ),
    );
  });
});
