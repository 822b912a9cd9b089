import { describe, expect, it } from 'vitest';
import {
  type ConditionNode,
  complete,
  depthOf,
  fromDefinition,
  issuesByCondition,
  newCondition,
  newGroup,
  toDefinition,
  updateNode,
} from '../../../console/src/features/audiences/tree';

const condition = (
  field: string,
  op: string,
  value: ConditionNode['value'],
  negate = false,
): ConditionNode => ({
  ...newCondition(field, op),
  value,
  negate,
});

describe("the audience builder's tree", () => {
  const vip = condition('tags', 'contains', 'vip');
  const coffee = condition('tags', 'contains', 'coffee');
  const hangzhou = condition('city', 'eq', '杭州', true);
  const root = newGroup('and', [newGroup('or', [vip, coffee]), hangzhou]);

  it('becomes the definition the API takes, with NOT around what is negated', () => {
    const { definition, paths } = toDefinition(root);
    expect(definition).toEqual({
      and: [
        {
          or: [
            { field: 'tags', op: 'contains', value: 'vip' },
            { field: 'tags', op: 'contains', value: 'coffee' },
          ],
        },
        { not: { field: 'city', op: 'eq', value: '杭州' } },
      ],
    });
    expect(paths.get(coffee.id)).toBe('definition.and.0.or.1');
    expect(paths.get(hangzhou.id)).toBe('definition.and.1.not');
  });

  it('reads a saved definition back into the same definition', () => {
    const { definition } = toDefinition(root);
    expect(toDefinition(fromDefinition(definition)).definition).toEqual(definition);
    const custom = { not: { or: [{ field: 'attributes.level', op: 'gte', value: 3 }] } };
    expect(toDefinition(fromDefinition(custom)).definition).toEqual(custom);
    // A lone condition opens inside a group, to add others beside it.
    const lone = { field: 'points', op: 'gte', value: 100 };
    expect(toDefinition(fromDefinition(lone)).definition).toEqual({ and: [lone] });
    expect(toDefinition(fromDefinition({ and: [custom] })).definition).toEqual({ and: [custom] });
  });

  it('is complete once every group has a member and every condition its value', () => {
    expect(complete(root)).toBe(true);
    expect(complete(newGroup())).toBe(false);
    expect(complete(newGroup('and', [condition('points', 'between', [1, undefined] as never)]))).toBe(false);
    expect(complete(newGroup('and', [condition('points', 'between', [1, 5])]))).toBe(true);
    expect(complete(newGroup('and', [condition('tier', 'in', [])]))).toBe(false);
    expect(complete(newGroup('and', [{ ...condition('attributes.', 'eq', 1), attribute: ' ' }]))).toBe(false);
  });

  it('places each issue the API names at its condition, and the rest apart', () => {
    const { paths } = toDefinition(root);
    const placed = issuesByCondition(
      [
        { path: 'definition.and.0.or.1.value', message: 'coffee?' },
        { path: 'definition.and.1.not.op', message: 'city op' },
        { path: 'definition', message: 'too many' },
      ],
      paths,
    );
    expect(placed.at.get(coffee.id)).toEqual(['coffee?']);
    expect(placed.at.get(hangzhou.id)).toEqual(['city op']);
    expect(placed.at.has(vip.id)).toBe(false);
    expect(placed.rest).toEqual(['too many']);
  });

  it('changes or removes one node, and counts levels as the API bounds them', () => {
    const removed = updateNode(root, coffee.id, () => undefined);
    expect(toDefinition(removed ?? root).definition).toEqual({
      and: [
        { or: [{ field: 'tags', op: 'contains', value: 'vip' }] },
        { not: { field: 'city', op: 'eq', value: '杭州' } },
      ],
    });
    expect(depthOf(root)).toBe(2);
    expect(depthOf(newGroup('and', [{ ...newGroup('or', [hangzhou]), negate: true }]))).toBe(4);
  });
});
