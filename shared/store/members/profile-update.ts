import { type Member, type MemberPatch, maxCustomAttributes } from '../../schemas/member';
import { birthdayKey, tagItem, tagKey } from './keys';

/**
 * The UpdateExpression for a patch, given the item as read. Attributes are set and removed one by
 * one (nested paths), so two patches of different attributes both land; the guards keep the
 * count within the cap even when another patch adds attributes at the same time.
 */
export function profileUpdate(patch: MemberPatch, item: Record<string, unknown>, at: Date) {
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':updatedAt': at.toISOString() };
  const set = ['#updatedAt = :updatedAt'];
  const remove: string[] = [];
  const guards = ['attribute_exists(pk)', 'attribute_not_exists(deletedAt)'];

  for (const field of ['name', 'gender', 'birthday', 'city', 'tags'] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    names[`#${field}`] = field;
    if (value === null) remove.push(`#${field}`);
    else {
      values[`:${field}`] = value;
      set.push(`#${field} = :${field}`);
    }
  }
  // The birthday index follows the birthday.
  if (patch.birthday === null) remove.push('birthdayPk');
  else if (patch.birthday !== undefined) {
    values[':birthdayPk'] = birthdayKey(item.merchantId as string, patch.birthday.slice(5));
    set.push('birthdayPk = :birthdayPk');
  }

  let attributeCount = 0;
  if (patch.attributes) {
    const current = (item.attributes ?? {}) as Record<string, unknown>;
    const has = (name: string) => Object.hasOwn(current, name);
    // Setting an absent name adds one; removing an absent name does nothing and is left out.
    const entries = Object.entries(patch.attributes).filter(([name, value]) => value !== null || has(name));
    const added = entries.filter(([name, value]) => value !== null && !has(name)).length;
    const removed = entries.filter(([, value]) => value === null).length;
    attributeCount = Object.keys(current).length + added - removed;
    if (item.attributes === undefined && entries.length > 0) {
      // Members written before custom attributes existed have no map to set paths in.
      names['#attributes'] = 'attributes';
      values[':attributes'] = Object.fromEntries(entries);
      set.push('#attributes = :attributes');
      guards.push('attribute_not_exists(#attributes)');
    } else if (entries.length > 0) {
      names['#attributes'] = 'attributes';
      for (const [i, [name, value]] of entries.entries()) {
        const path = `#attributes.#a${i}`;
        names[`#a${i}`] = name;
        if (value === null) remove.push(path);
        else {
          values[`:a${i}`] = value;
          set.push(`${path} = :a${i}`);
        }
        // What was read as present must still be, or the count below would be wrong.
        if (has(name)) guards.push(`attribute_exists(${path})`);
      }
      if (added > 0) {
        values[':room'] = maxCustomAttributes - added + removed;
        guards.push('size(#attributes) <= :room');
      }
    }
  }
  return {
    attributeCount,
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: guards.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * The tag index items a change of tags puts and deletes (none when the tags stay the same), and the
 * condition, for the member's update in the same transaction, that the tags are still those read.
 */
export function tagIndexChange(
  tableName: string,
  item: Record<string, unknown>,
  nextTags: string[] | undefined,
) {
  const member = item as Pick<Member, 'merchantId' | 'phone' | 'joinedAt' | 'memberId'>;
  const was = (item.tags ?? []) as string[];
  const added = nextTags?.filter((tag) => !was.includes(tag)) ?? [];
  const removed = nextTags ? was.filter((tag) => !nextTags.includes(tag)) : [];
  return {
    writes: [
      ...added.map((tag) => ({ Put: { TableName: tableName, Item: tagItem(member, tag) } })),
      ...removed.map((tag) => ({
        Delete: { TableName: tableName, Key: tagKey(member.merchantId, member.phone, tag) },
      })),
    ],
    guard: tagsAsRead(item),
  };
}

/** The condition that the member's tags are still those read: their index items follow them. */
export function tagsAsRead(item: Record<string, unknown>) {
  return {
    condition: item.tags === undefined ? 'attribute_not_exists(#tags)' : '#tags = :tagsAsRead',
    names: { '#tags': 'tags' },
    values: item.tags === undefined ? {} : { ':tagsAsRead': item.tags },
  };
}
