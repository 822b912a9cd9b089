import type { Member } from '../../schemas/member';
import { dateIn } from '../time';
import { type Fact, fieldOf, type Today } from './fields';
import type { Audience, AudienceOp, Scalar } from './tree';

export interface AudienceContext {
  now: Date;
  /** The merchant's: today, ages and calendar dates are read in it. */
  timeZone: string;
}

/** Numbers with numbers, text with text: values of different types have no order. */
function order(fact: Scalar, value: Scalar): number | undefined {
  if (typeof fact !== typeof value || typeof fact === 'boolean') return undefined;
  return fact < value ? -1 : fact > value ? 1 : 0;
}

type Test = (fact: NonNullable<Fact>) => boolean;

export function testOf(op: Exclude<AudienceOp, 'exists'>, value: Scalar | Scalar[]): Test {
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
