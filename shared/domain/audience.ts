import { z } from 'zod';
import { customAttributesSchema, type Member, memberSchema, tagSchema } from '../schemas/member';
import { addDays, dateIn, daysBetween } from './time';

/**
 * Audiences: the members a campaign is for, written by the merchant as a JSON tree. A node is
 *
 *   { and: [node, …] }          every child matches
 *   { or: [node, …] }           at least one child matches
 *   { not: node }               the child does not match: the whole subtree is inverted
 *   { field, op, value }        a condition on one fact about the member (`fields` below)
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
const maxListValues = 50;

const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);
type Scalar = z.infer<typeof scalarSchema>;

const conditionSchema = z.strictObject({
  field: z.string({ error: 'field: the fact to test, e.g. "tier"' }).max(60),
  op: z.enum(audienceOps, { error: `op: one of ${audienceOps.join(', ')}` }),
  value: z
    .union([scalarSchema, z.array(scalarSchema)], { error: 'value: text, a number, true/false or a list' })
    .optional(),
  /** The period a windowed fact (spend) is measured over. */
  window: z.string().max(40).optional(),
});
export type AudienceCondition = z.infer<typeof conditionSchema>;

/** A recursive tree, which zod cannot infer: its leaves are `conditionSchema`'s type. */
export type Audience = { and: Audience[] } | { or: Audience[] } | { not: Audience } | AudienceCondition;

export interface AudienceContext {
  now: Date;
  /** The merchant's: today, ages and calendar dates are read in it. */
  timeZone: string;
}

/** A fact about a member: absent (`undefined`), one value, or a list (tags). */
type Fact = Scalar | readonly string[] | undefined;

interface Today {
  /** YYYY-MM-DD in the merchant's time zone. */
  date: string;
  /** The calendar date of an instant in the merchant's time zone. */
  dateOf(iso: string): string;
}

interface FieldDefinition {
  /** One value a condition compares it with. */
  value: z.ZodType<Scalar>;
  /** What `value` is, in the merchant's words, for refusals. */
  describe: string;
  /** Operators that make sense on it; `exists` only where a member may lack the fact. */
  ops: readonly AudienceOp[];
  /** Periods it is measured over: a condition on it names one. */
  windows?: readonly string[];
  read(member: Member, today: Today, window?: string): Fact;
}

const numberOps = ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
const choiceOps = ['eq', 'ne', 'in', 'exists'] as const;
const amount = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const score = z.int().min(1).max(5);

/** Spend windows: calendar years of the merchant's time zone, as the member's `spendByYear` keeps them. */
const spendWindows = { 'this-year': 0, 'last-year': 1 } as const;

const rfmField = (part: 'recency' | 'frequency' | 'monetary'): FieldDefinition => ({
  value: score,
  describe: `a ${part} score, 1 to 5`,
  ops: [...numberOps, 'exists'],
  read: (member) => member.rfm?.[part],
});

/**
 * Every field an audience may test. A new fact (a rolling-window spend, say) is one more entry
 * here, with the windows it is measured over.
 */
const fields: Record<string, FieldDefinition> = {
  tier: { value: z.string().min(1).max(40), describe: 'a tier name', ops: choiceOps, read: (m) => m.tier },
  tags: {
    value: tagSchema,
    describe: 'a tag',
    ops: ['contains', 'in', 'exists'],
    read: (m) => (m.tags.length > 0 ? m.tags : undefined),
  },
  points: { value: amount, describe: 'a whole number of points', ops: numberOps, read: (m) => m.points },
  storedValue: {
    value: amount,
    describe: 'a whole number of cents',
    ops: numberOps,
    read: (m) => m.storedValue,
  },
  gender: {
    value: memberSchema.shape.gender.unwrap(),
    describe: 'female, male or other',
    ops: choiceOps,
    read: (m) => m.gender,
  },
  age: {
    value: z.int().min(0).max(150),
    describe: 'an age in whole years',
    ops: [...numberOps, 'exists'],
    read: (m, today) => (m.birthday ? ageOn(m.birthday, today.date) : undefined),
  },
  city: {
    value: z.string().min(1).max(40),
    describe: 'a city',
    ops: ['eq', 'ne', 'in', 'contains', 'exists'],
    read: (m) => m.city,
  },
  birthdayMonth: {
    value: z.int().min(1).max(12),
    describe: 'a month, 1 to 12',
    ops: [...numberOps, 'exists'],
    read: (m) => (m.birthday ? Number(m.birthday.slice(5, 7)) : undefined),
  },
  joinedAt: {
    value: z.iso.date(),
    describe: 'a date as YYYY-MM-DD',
    ops: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between'],
    read: (m, today) => today.dateOf(m.joinedAt),
  },
  daysSinceLastPurchase: {
    value: amount,
    describe: 'a whole number of days',
    ops: [...numberOps, 'exists'],
    read: (m, today) =>
      m.lastPurchaseAt ? Math.max(0, daysBetween(today.dateOf(m.lastPurchaseAt), today.date)) : undefined,
  },
  spend: {
    value: amount,
    describe: 'a whole number of cents',
    ops: numberOps,
    windows: Object.keys(spendWindows),
    // No purchase in the year is a spend of 0, not a missing fact.
    read: (m, today, window) => {
      const year = Number(today.date.slice(0, 4)) - spendWindows[window as keyof typeof spendWindows];
      return m.spendByYear[String(year)] ?? 0;
    },
  },
  'rfm.recency': rfmField('recency'),
  'rfm.frequency': rfmField('frequency'),
  'rfm.monetary': rfmField('monetary'),
  churnZone: {
    value: memberSchema.shape.churnZone.unwrap(),
    describe: 'blue, green, yellow, red or white',
    ops: choiceOps,
    read: (m) => m.churnZone,
  },
};

const attributePrefix = 'attributes.';
const fieldNames = [...Object.keys(fields), `${attributePrefix}<name>`].join(', ');

/** `attributes.<name>`: the merchant's custom attribute, compared with values of its own type. */
function attributeField(name: string): FieldDefinition {
  return {
    value: customAttributesSchema.valueType,
    describe: 'text of 200 characters at most, a number, or true/false',
    ops: audienceOps,
    read: (m) => (Object.hasOwn(m.attributes, name) ? m.attributes[name] : undefined),
  };
}

function fieldOf(name: string): FieldDefinition | undefined {
  if (Object.hasOwn(fields, name)) return fields[name];
  if (!name.startsWith(attributePrefix)) return undefined;
  const attribute = name.slice(attributePrefix.length);
  return customAttributesSchema.keyType.safeParse(attribute).success ? attributeField(attribute) : undefined;
}

interface Issue {
  path: PropertyKey[];
  message: string;
}

const rangeOps: readonly AudienceOp[] = ['gt', 'gte', 'lt', 'lte', 'between'];

/** Why a condition's value does not fit its field and operator, or undefined when it does. */
function valueProblem(field: string, definition: FieldDefinition, op: AudienceOp, value: unknown) {
  const one = (v: unknown) =>
    definition.value.safeParse(v).success &&
    // Only numbers, text and dates have an order; `contains` looks for text.
    !(rangeOps.includes(op) && typeof v === 'boolean') &&
    !(op === 'contains' && typeof v !== 'string');
  switch (op) {
    case 'exists':
      return typeof value === 'boolean' ? undefined : `${field} exists takes true or false`;
    case 'in':
      return Array.isArray(value) && value.length >= 1 && value.length <= maxListValues && value.every(one)
        ? undefined
        : `${field} in takes a list of 1 to ${maxListValues} values, each ${definition.describe}`;
    case 'between': {
      const [low, high] = Array.isArray(value) ? value : [];
      const pair = Array.isArray(value) && value.length === 2 && one(low) && one(high);
      if (!pair) return `${field} between takes [low, high], each ${definition.describe}`;
      return typeof low === typeof high && (low as number | string) <= (high as number | string)
        ? undefined
        : `${field} between takes [low, high] of one type with low ≤ high`;
    }
    default:
      return one(value) ? undefined : `${field} ${op} takes ${definition.describe}`;
  }
}

function conditionIssues(value: unknown): Issue[] {
  const parsed = conditionSchema.safeParse(value);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  }
  const { field, op, window } = parsed.data;
  const definition = fieldOf(field);
  if (!definition) return [{ path: ['field'], message: `unknown field "${field}"; one of ${fieldNames}` }];
  if (!definition.ops.includes(op)) {
    return [{ path: ['op'], message: `${field} takes ${definition.ops.join(', ')}` }];
  }
  if (definition.windows && (window === undefined || !definition.windows.includes(window))) {
    return [{ path: ['window'], message: `${field} needs a window: ${definition.windows.join(' or ')}` }];
  }
  if (!definition.windows && window !== undefined) {
    return [{ path: ['window'], message: `${field} takes no window` }];
  }
  const problem = valueProblem(field, definition, op, parsed.data.value);
  return problem ? [{ path: ['value'], message: problem }] : [];
}

const nodeShape =
  'a node is {"and": [nodes]}, {"or": [nodes]}, {"not": node} or a condition {field, op, value}';
const groupKeys = ['and', 'or', 'not'] as const;

/** Every problem with a tree, each at its path; stops descending past the depth bound. */
function treeIssues(
  value: unknown,
  path: PropertyKey[],
  depth: number,
  seen: { conditions: number },
): Issue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ path, message: nodeShape }];
  const keys = Object.keys(value);
  const group = groupKeys.find((key) => keys.includes(key));
  if (!group) {
    seen.conditions++;
    return conditionIssues(value).map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
  }
  if (keys.length !== 1) return [{ path, message: `${nodeShape}; this one has ${keys.join(', ')}` }];
  if (depth >= maxAudienceDepth) {
    return [{ path, message: `and/or/not nest ${maxAudienceDepth} deep at most` }];
  }
  const child = (value as Record<string, unknown>)[group];
  if (group === 'not') return treeIssues(child, [...path, 'not'], depth + 1, seen);
  if (!Array.isArray(child) || child.length === 0) {
    return [{ path: [...path, group], message: `${group} takes a list of at least one node` }];
  }
  return child.flatMap((node, i) => treeIssues(node, [...path, group, i], depth + 1, seen));
}

/**
 * An audience definition, checked whole by `treeIssues`: every problem is reported at its path
 * (`and.0.value`) with a reason, and what passes is an `Audience`. Typed as such because zod
 * cannot infer a recursive tree; its JSON Schema is the description, for a recursive one would
 * need `$defs`.
 */
export const audienceSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const seen = { conditions: 0 };
    const issues = treeIssues(value, [], 0, seen);
    if (seen.conditions > maxAudienceConditions) {
      issues.push({
        path: [],
        message: `the audience has ${seen.conditions} conditions; at most ${maxAudienceConditions}`,
      });
    }
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  })
  .meta({
    description:
      'Which members: {"and": [nodes]}, {"or": [nodes]}, {"not": node}, or a condition {"field", "op", ' +
      `"value"}. Fields: ${fieldNames}; spend (cents) also takes a "window": ` +
      `${Object.keys(spendWindows).join(' or ')}. Ops: ${audienceOps.join(', ')}; between takes [low, high], ` +
      'exists true or false, contains a tag or text within text. Dates are YYYY-MM-DD in your time zone. ' +
      'A member without the value matches only exists: false; deleted members never match. At most ' +
      `${maxAudienceDepth} levels of and/or/not and ${maxAudienceConditions} conditions.`,
  }) as z.ZodType<Audience, unknown>;

/** Whole years from `birthday` to `today` (both YYYY-MM-DD): a 29 February birthday counts from 1 March. */
function ageOn(birthday: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthday.slice(0, 4));
  return today.slice(5) < birthday.slice(5) ? years - 1 : years;
}

/** Numbers with numbers, text with text: values of different types have no order. */
function order(fact: Scalar, value: Scalar): number | undefined {
  if (typeof fact !== typeof value || typeof fact === 'boolean') return undefined;
  return fact < value ? -1 : fact > value ? 1 : 0;
}

type Test = (fact: NonNullable<Fact>) => boolean;

function testOf(op: Exclude<AudienceOp, 'exists'>, value: Scalar | Scalar[]): Test {
  const values = Array.isArray(value) ? value : [value];
  const [first, second] = values as [Scalar, Scalar];
  const compared = (pass: (sign: number) => boolean) => (fact: NonNullable<Fact>) => {
    const sign = Array.isArray(fact) ? undefined : order(fact as Scalar, first);
    return sign !== undefined && pass(sign);
  };
  switch (op) {
    case 'eq':
      return (fact) => fact === first;
    case 'ne':
      return (fact) => fact !== first;
    case 'in':
      // A list fact (tags) matches when it holds any of the values.
      return (fact) =>
        Array.isArray(fact) ? fact.some((item) => values.includes(item)) : values.includes(fact as Scalar);
    case 'contains':
      return (fact) =>
        Array.isArray(fact)
          ? fact.includes(first as string)
          : typeof fact === 'string' && fact.includes(first as string);
    case 'gt':
      return compared((sign) => sign > 0);
    case 'gte':
      return compared((sign) => sign >= 0);
    case 'lt':
      return compared((sign) => sign < 0);
    case 'lte':
      return compared((sign) => sign <= 0);
    case 'between':
      return (fact) => {
        if (Array.isArray(fact)) return false;
        const low = order(fact as Scalar, first);
        const high = order(fact as Scalar, second);
        return low !== undefined && high !== undefined && low >= 0 && high <= 0;
      };
  }
}

type Predicate = (member: Member, today: Today) => boolean;

function compile(node: Audience): Predicate {
  if ('and' in node) {
    const children = node.and.map(compile);
    return (member, today) => children.every((child) => child(member, today));
  }
  if ('or' in node) {
    const children = node.or.map(compile);
    return (member, today) => children.some((child) => child(member, today));
  }
  if ('not' in node) {
    const child = compile(node.not);
    return (member, today) => !child(member, today);
  }
  const definition = fieldOf(node.field);
  if (!definition) throw new RangeError(`unknown audience field ${node.field}: parse with audienceSchema`);
  const { op, value, window } = node;
  if (op === 'exists')
    return (member, today) => (definition.read(member, today, window) !== undefined) === value;
  // audienceSchema has checked that the value fits the operator.
  const test = testOf(op, value as Scalar | Scalar[]);
  return (member, today) => {
    const fact = definition.read(member, today, window);
    return fact !== undefined && test(fact);
  };
}

/**
 * The audience as a test of one member, compiled once for a page of many: today and the
 * merchant's calendar are worked out once, not per member.
 */
export function audiencePredicate(audience: Audience, { now, timeZone }: AudienceContext) {
  const matches = compile(audience);
  // dateIn builds a formatter per call; a predicate may date 100,000 members.
  const calendar = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const today: Today = { date: dateIn(timeZone, now), dateOf: (iso) => calendar.format(new Date(iso)) };
  return (member: Member): boolean => member.deletedAt === undefined && matches(member, today);
}

export function matchesAudience(member: Member, audience: Audience, context: AudienceContext): boolean {
  return audiencePredicate(audience, context)(member);
}

/**
 * The index that finds a superset of the audience, read most narrowly: the members who can
 * match, never fewer. Executing it still tests every member found against the whole audience.
 */
export type AudienceIndex =
  /** Members whose birthday is on one of these month-days (`MM-DD`): the sparse birthday index. */
  | { index: 'byBirthday'; monthDays: string[] }
  /** Members who ever held stored value, by balance: `from` to `to` cents, both included. */
  | { index: 'byStoredValue'; from: number; to?: number }
  /** The merchant's current members by join instant: ISO `from` included, `before` not. */
  | { index: 'byMerchant'; from?: string; before?: string };

/**
 * Birthday months read from the birthday index at most: one query per day, and beyond a quarter of
 * the year, reading every member costs few more items in far fewer queries.
 */
export const maxBirthdayIndexMonths = 3;

/**
 * Which index to read. Only conditions every match must meet narrow it: those at the top, or in
 * `and`s at the top. A birthday month beats a stored-value range (both indexes hold only members
 * with the fact), which beats a join-date range of the list of all members.
 */
export function audienceIndex(audience: Audience): AudienceIndex {
  const conditions = conjuncts(audience);
  const months = birthdayMonths(conditions);
  if (months && months.length <= maxBirthdayIndexMonths) {
    return { index: 'byBirthday', monthDays: months.flatMap(daysOfMonth) };
  }
  const balance = rangeOf(conditions, 'storedValue', (n: number, step) => n + step);
  // Members who never held stored value have no entry in its index: only a range above 0 may use it.
  if (balance.from !== undefined && balance.from >= 1) {
    return {
      index: 'byStoredValue',
      from: balance.from,
      ...(balance.to !== undefined ? { to: balance.to } : {}),
    };
  }
  const joined = rangeOf(conditions, 'joinedAt', addDays);
  // Join dates are the merchant's; instants are UTC. A day's margin either side covers every
  // offset (-12 to +14 hours), and the audience test decides the members at the edges.
  return {
    index: 'byMerchant',
    ...(joined.from !== undefined ? { from: `${addDays(joined.from, -1)}T00:00:00.000Z` } : {}),
    ...(joined.to !== undefined ? { before: `${addDays(joined.to, 2)}T00:00:00.000Z` } : {}),
  };
}

function conjuncts(node: Audience): AudienceCondition[] {
  if ('and' in node) return node.and.flatMap(conjuncts);
  if ('or' in node || 'not' in node) return [];
  return [node];
}

/** Months a birthday must fall in, or undefined when nothing requires a birthday month. */
function birthdayMonths(conditions: AudienceCondition[]): number[] | undefined {
  const on = conditions.filter((c) => c.field === 'birthdayMonth');
  if (on.length === 0 || on.some((c) => c.op === 'exists' && c.value === false)) return undefined;
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  return months.filter((month) =>
    on.every(({ op, value }) => op === 'exists' || testOf(op, value as Scalar | Scalar[])(month)),
  );
}

/** Every MM-DD of a month, 29 February included: the index is keyed by month-day, whatever the year. */
function daysOfMonth(month: number): string[] {
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return Array.from({ length: days }, (_, i) => `${mm}-${String(i + 1).padStart(2, '0')}`);
}

/**
 * The closed range a field must lie in by the conditions on it (`eq`, `in`, `gt`…`between`), or
 * open ends where none bounds it. `step` moves a value one unit (a whole number, a day).
 */
function rangeOf<Value extends number | string>(
  conditions: AudienceCondition[],
  field: string,
  step: (value: Value, by: number) => Value,
): { from?: Value; to?: Value } {
  let from: Value | undefined;
  let to: Value | undefined;
  const above = (value: Value) => {
    if (from === undefined || value > from) from = value;
  };
  const below = (value: Value) => {
    if (to === undefined || value < to) to = value;
  };
  for (const { field: name, op, value } of conditions) {
    if (name !== field) continue;
    const values = (Array.isArray(value) ? value : [value]) as Value[];
    const [first] = values as [Value];
    if (op === 'eq' || op === 'in' || op === 'between') {
      above(values.reduce((a, b) => (b < a ? b : a)));
      below(values.reduce((a, b) => (b > a ? b : a)));
    } else if (op === 'gt') above(step(first, 1));
    else if (op === 'gte') above(first);
    else if (op === 'lt') below(step(first, -1));
    else if (op === 'lte') below(first);
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}
