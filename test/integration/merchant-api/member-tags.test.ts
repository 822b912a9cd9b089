import { describe, expect, it } from 'vitest';
import { newMerchant, newPhone } from '../../support';
import { apiInProcess } from './api-client';

/**
 * Tags added and removed by requests that arrive at the same moment, in process on DynamoDB Local:
 * every change lands, and the tag-filtered member list agrees with the member's tags afterwards.
 */
const api = apiInProcess();

async function memberWith(tags: string[]) {
  const { apiKey } = await newMerchant(api.env);
  const phone = newPhone();
  expect((await api.withKey(apiKey, 'POST', '/v1/members', { phone, tags })).status).toBe(201);
  const path = `/v1/members/${encodeURIComponent(phone)}`;
  return {
    phone,
    add: (...added: string[]) => api.withKey(apiKey, 'POST', `${path}/tags`, { tags: added }),
    remove: (tag: string) => api.withKey(apiKey, 'DELETE', `${path}/tags/${encodeURIComponent(tag)}`),
    patch: (body: unknown) => api.withKey(apiKey, 'PATCH', path, body),
    tags: async (): Promise<string[]> => (await api.withKey(apiKey, 'GET', path)).body.member.tags,
    /** The phones `GET /v1/members?tag=` lists. */
    tagged: async (tag: string): Promise<string[]> => {
      const listed = await api.withKey(apiKey, 'GET', `/v1/members?tag=${encodeURIComponent(tag)}`);
      expect(listed.status).toBe(200);
      return listed.body.members.map((member: { phone: string }) => member.phone);
    },
  };
}

/** For each tag, whether the tag's list holds the member: exactly when the member has the tag. */
async function listedUnder(member: Awaited<ReturnType<typeof memberWith>>, tags: string[]) {
  return Object.fromEntries(
    await Promise.all(tags.map(async (tag) => [tag, (await member.tagged(tag)).includes(member.phone)])),
  );
}

const sorted = (tags: string[]) => [...tags].sort();

describe('tags changed at the same moment', () => {
  it('keeps every one of 12 adds and 8 removes sent at once, and the tag lists agree', async () => {
    const removed = Array.from({ length: 8 }, (_, i) => `old-${i}`);
    const added = Array.from({ length: 12 }, (_, i) => `new-${i}`);
    const member = await memberWith(['keep', ...removed]);

    const answers = await Promise.all([
      ...added.map((tag) => member.add(tag)),
      ...removed.map((tag) => member.remove(tag)),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));

    const expected = sorted(['keep', ...added]);
    expect(sorted(await member.tags())).toEqual(expected);
    const everyTag = ['keep', ...added, ...removed];
    expect(await listedUnder(member, everyTag)).toEqual(
      Object.fromEntries(everyTag.map((tag) => [tag, expected.includes(tag)])),
    );
  });

  it('adds a tag once when it is added twice at once, and each answer shows its own change', async () => {
    const member = await memberWith(['coffee']);
    const answers = await Promise.all([member.add('vip', 'lunch'), member.add('vip'), member.add('lunch')]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    // Each answer shows the member after its own change, whichever else landed before it.
    expect([0, 1].map((i) => answers[i]?.body.member.tags.includes('vip'))).toEqual([true, true]);
    expect([0, 2].map((i) => answers[i]?.body.member.tags.includes('lunch'))).toEqual([true, true]);
    expect(sorted(await member.tags())).toEqual(['coffee', 'lunch', 'vip']);
    expect(await listedUnder(member, ['coffee', 'lunch', 'vip'])).toEqual({
      coffee: true,
      lunch: true,
      vip: true,
    });
  });

  it('keeps the tag lists right when a whole-list PATCH races adds and removes', async () => {
    const member = await memberWith(['a', 'b', 'c']);
    const answers = await Promise.all([
      member.patch({ tags: ['a', 'b', 'c'], name: '张三' }),
      member.add('d'),
      member.patch({ tags: ['x'] }),
      member.remove('b'),
      member.add('e', 'f'),
      member.patch({ tags: ['a', 'y'] }),
      member.remove('c'),
    ]);
    // A PATCH replaces the list, so it may be refused for changes landing under it; a tag change is not.
    expect(
      answers.map((answer) => answer.status).filter((status) => status !== 200 && status !== 409),
    ).toEqual([]);
    expect([1, 3, 4, 6].map((i) => answers[i]?.status)).toEqual([200, 200, 200, 200]);
    const tags = await member.tags();
    const everyTag = ['a', 'b', 'c', 'd', 'e', 'f', 'x', 'y'];
    expect(await listedUnder(member, everyTag)).toEqual(
      Object.fromEntries(everyTag.map((tag) => [tag, tags.includes(tag)])),
    );
  });

  it('refuses an add that would take the member over 50 tags, and writes nothing', async () => {
    const member = await memberWith(Array.from({ length: 49 }, (_, i) => `t${i}`));
    const refused = await member.add('x', 'y');
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_body', message: 'tags: the member would have 51 tags; at most 50' } },
    });
    expect(await member.tags()).toHaveLength(49);
    expect(await member.tagged('x')).toEqual([]);
    expect((await member.add('x', 't0')).body.member.tags).toHaveLength(50);
  });
});
