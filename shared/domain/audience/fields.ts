import * as z from 'zod';
import { lazySchema } from '../../lazy-schema';
import { customAttributesSchema, type Member, memberSchema, tagSchema } from '../../schemas/member';
import { storeIdSchema } from '../stores';
import { daysBetween } from '../time';
import { type AudienceOp, audienceOps, type Scalar } from './tree';

/** A fact about a member: absent (`undefined`), one value, or a list (tags). */
export type Fact = Scalar | readonly string[] | undefined;

export interface Today {
  /** YYYY-MM-DD in the merchant's time zone. */
  date: string;
  /** The calendar date of an instant in the merchant's time zone. */
  dateOf(iso: string): string;
}

export interface FieldDefinition {
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
const amount = lazySchema(() => z.int().nonnegative().max(Number.MAX_SAFE_INTEGER));
const score = lazySchema(() => z.int().min(1).max(5));

/** Spend windows: calendar years of the merchant's time zone, as the member's `spendByYear` keeps them. */
export const spendWindows = { 'this-year': 0, 'last-year': 1 } as const;

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
  tier: {
    value: lazySchema(() => z.string().min(1).max(40)),
    describe: 'a tier name',
    ops: choiceOps,
    read: (m) => m.tier,
  },
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
    value: lazySchema(() => memberSchema.shape.gender.unwrap()),
    describe: 'female, male or other',
    ops: choiceOps,
    read: (m) => m.gender,
  },
  age: {
    value: lazySchema(() => z.int().min(0).max(150)),
    describe: 'an age in whole years',
    ops: [...numberOps, 'exists'],
    read: (m, today) => (m.birthday ? ageOn(m.birthday, today.date) : undefined),
  },
  city: {
    value: lazySchema(() => z.string().min(1).max(40)),
    describe: 'a city',
    ops: ['eq', 'ne', 'in', 'contains', 'exists'],
    read: (m) => m.city,
  },
  birthdayMonth: {
    value: lazySchema(() => z.int().min(1).max(12)),
    describe: 'a month, 1 to 12',
    ops: [...numberOps, 'exists'],
    read: (m) => (m.birthday ? Number(m.birthday.slice(5, 7)) : undefined),
  },
  joinedAt: {
    value: lazySchema(() => z.iso.date()),
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
    value: lazySchema(() => memberSchema.shape.churnZone.unwrap()),
    describe: 'blue, green, yellow, red or white',
    ops: choiceOps,
    read: (m) => m.churnZone,
  },
};

const attributePrefix = 'attributes.';
/** `daysSinceStorePurchase.<store id>`: days since the member's last purchase at that store (门店). */
const storePrefix = 'daysSinceStorePurchase.';
export const fieldNames = [
  ...Object.keys(fields),
  `${attributePrefix}<name>`,
  `${storePrefix}<store id>`,
].join(', ');

/** Days since the member last bought at the store; absent when they never did (as member-activity saw it). */
function storeField(storeId: string): FieldDefinition {
  return {
    value: amount,
    describe: 'a whole number of days',
    ops: [...numberOps, 'exists'],
    read: (m, today) => {
      const at = m.activity?.storePurchases?.[storeId];
      return at ? Math.max(0, daysBetween(today.dateOf(at), today.date)) : undefined;
    },
  };
}

/** `attributes.<name>`: the merchant's custom attribute, compared with values of its own type. */
function attributeField(name: string): FieldDefinition {
  return {
    value: customAttributesSchema.valueType,
    describe: 'text of 200 characters at most, a number, or true/false',
    ops: audienceOps,
    read: (m) => (Object.hasOwn(m.attributes, name) ? m.attributes[name] : undefined),
  };
}

export function fieldOf(name: string): FieldDefinition | undefined {
  if (Object.hasOwn(fields, name)) return fields[name];
  if (name.startsWith(storePrefix)) {
    const storeId = name.slice(storePrefix.length);
    return storeIdSchema.safeParse(storeId).success ? storeField(storeId) : undefined;
  }
  if (!name.startsWith(attributePrefix)) return undefined;
  const attribute = name.slice(attributePrefix.length);
  return customAttributesSchema.keyType.safeParse(attribute).success ? attributeField(attribute) : undefined;
}

/** Whole years from `birthday` to `today` (both YYYY-MM-DD): a 29 February birthday counts from 1 March. */
function ageOn(birthday: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthday.slice(0, 4));
  return today.slice(5) < birthday.slice(5) ? years - 1 : years;
}

/** What a condition on a field compares with, as a form would ask for it. */
export interface FieldValue {
  kind: 'text' | 'integer' | 'date' | 'choice' | 'any';
  /** Bounds of an integer. */
  min?: number;
  max?: number;
  /** The longest text. */
  maxLength?: number;
  /** The values a choice takes. */
  choices?: string[];
}

/** A field as an audience builder offers it: what it is, its operators and windows, and its value. */
export interface AudienceField {
  name: string;
  describe: string;
  ops: readonly AudienceOp[];
  windows?: readonly string[];
  value: FieldValue;
}

/** The form of a field's value, read from its schema: the one description the API checks against. */
function valueFormOf(schema: z.ZodType): FieldValue {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { minimum, maximum } = json;
  if (Array.isArray(json.enum)) return { kind: 'choice', choices: json.enum.map(String) };
  if (json.type === 'integer') {
    return {
      kind: 'integer',
      ...(typeof minimum === 'number' ? { min: minimum } : {}),
      ...(typeof maximum === 'number' ? { max: maximum } : {}),
    };
  }
  if (json.type === 'string' && json.format === 'date') return { kind: 'date' };
  if (json.type === 'string') {
    return { kind: 'text', ...(typeof json.maxLength === 'number' ? { maxLength: json.maxLength } : {}) };
  }
  return { kind: 'any' };
}

/**
 * Every field an audience may test, with its operators, windows and value, custom attributes last
 * (their name is the merchant's: `attributes.` and the attribute's name).
 */
export function audienceFields(): AudienceField[] {
  const entry = (name: string, definition: FieldDefinition): AudienceField => ({
    name,
    describe: definition.describe,
    ops: definition.ops,
    ...(definition.windows ? { windows: definition.windows } : {}),
    value: valueFormOf(definition.value),
  });
  return [
    ...Object.entries(fields).map(([name, definition]) => entry(name, definition)),
    entry(attributePrefix, attributeField('name')),
    entry(storePrefix, storeField('')),
  ];
}
