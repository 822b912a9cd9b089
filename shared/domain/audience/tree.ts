import * as z from 'zod';
import { lazySchema } from '../../lazy-schema';

/**
 * Audiences: the members a campaign is for, written by the merchant as a JSON tree. A node is
 *
 *   { and: [node, …] }          every child matches
 *   { or: [node, …] }           at least one child matches
 *   { not: node }               the child does not match: the whole subtree is inverted
 *   { field, op, value }        a condition on one fact about the member (`fields` in fields.ts)
 *
 * Operators: eq, ne, in (a list of values), gt, gte, lt, lte, between ([low, high], both included),
 * exists (true or false) and contains (a tag in the member's tags, or text within a text); each
 * field takes those that make sense for it. Dates are calendar days in the merchant's time zone,
 * and so are "today", ages and days since a purchase.
 *
 * Missing values: a member without the fact (no birthday for `age`, never a purchase for
 * `daysSinceLastPurchase`, no such custom attribute, no tags) matches no condition on it except
 * `exists: false`. `ne` therefore means "has a value, and it differs"; `{ not: { …eq… } }` also
 * takes the members without one. Soft-deleted members never match, whatever the tree.
 */

export const audienceOps = [
  'eq',
  'ne',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
  'contains',
] as const;
export type AudienceOp = (typeof audienceOps)[number];

/** Nesting of and/or/not, and conditions in all: bounds on the work one member's test may take. */
export const maxAudienceDepth = 6;
export const maxAudienceConditions = 100;
export const maxListValues = 50;

export const scalarSchema = lazySchema(() => z.union([z.string(), z.number(), z.boolean()]));
export type Scalar = z.infer<typeof scalarSchema>;

export const conditionSchema = lazySchema(() =>
  z.strictObject({
    field: z.string({ error: 'field: the fact to test, e.g. "tier"' }).max(60),
    op: z.enum(audienceOps, { error: `op: one of ${audienceOps.join(', ')}` }),
    value: z
      .union([scalarSchema, z.array(scalarSchema)], { error: 'value: text, a number, true/false or a list' })
      .optional(),
    /** The period a windowed fact (spend) is measured over. */
    window: z.string().max(40).optional(),
  }),
);
export type AudienceCondition = z.infer<typeof conditionSchema>;

/** A recursive tree, which zod cannot infer: its leaves are `conditionSchema`'s type. */
export type Audience = { and: Audience[] } | { or: Audience[] } | { not: Audience } | AudienceCondition;

/** The tier codes an audience's conditions on `tier` name, so they can be checked against the tier table. */
export function tierCodesIn(audience: Audience): string[] {
  if ('and' in audience) return audience.and.flatMap(tierCodesIn);
  if ('or' in audience) return audience.or.flatMap(tierCodesIn);
  if ('not' in audience) return tierCodesIn(audience.not);
  if (audience.field !== 'tier' || audience.value === undefined) return [];
  const values = Array.isArray(audience.value) ? audience.value : [audience.value];
  return values.filter((value): value is string => typeof value === 'string');
}
