import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type Audience, type AudienceIndex, audienceIndex, audiencePredicate } from '../domain/audience';
import { type Member, memberSchema } from '../schemas/member';
import { birthdayKey, InvalidCursorError, memberKey } from './members';

/**
 * An audience's members, read from the Members table. The index `audienceIndex` picks is cut
 * into segments, ranges of it read in key order; a page reads a few segments at once, and the
 * cursor keeps where each one stands. Every member read is tested against the whole audience,
 * so the index only narrows what is read.
 */
export interface AudienceReader {
  /** One page of matching members; `cursor` present while there may be more. Resuming with it neither skips nor repeats a member. */
  page(
    merchantId: string,
    audience: Audience,
    options: { cursor?: string; pageSize?: number; now: Date; timeZone: string },
  ): Promise<{ members: Member[]; cursor?: string }>;
}

export const maxAudiencePageSize = 1000;
export const defaultAudiencePageSize = 500;
export const defaultSegments = 4;
const maxSegments = 16;
export const defaultSampleSize = 10;

/**
 * A page stops after reading this many members per member it may return, or this many rounds of
 * queries: a narrow audience over a large merchant gives short (even empty) pages with a cursor,
 * never one page that reads everything.
 */
const readsPerMember = 4;
const maxRounds = 32;

/** Each index's key attributes; the table's own keys (pk, sk) come from `memberKey`. */
const indexKeys = {
  byMerchant: { partition: 'listPk', sort: 'listSk' },
  byBirthday: { partition: 'birthdayPk', sort: 'memberId' },
  byStoredValue: { partition: 'storedValuePk', sort: 'storedValue' },
} as const;

/** One range of one index partition: sort key bounds, both included; absent, that end is open. */
interface Segment {
  partition: string;
  from?: string | number;
  to?: string | number;
}

/** Where a segment's reading stands: the last member read, by phone and the index's sort key. */
type Position = [phone: string, sort: string | number];

const cursorSchema = z.strictObject({
  v: z.literal(1),
  /**
   * The merchant and index plan the cursor was made for: resuming for another merchant, or for an
   * audience read from other ranges, is refused. The caller resumes the same audience.
   */
  plan: z.string(),
  /** `byMerchant` only: the join instants the first page split the members at. */
  split: z.array(z.string().max(40)).max(maxSegments - 1),
  /** Segments before this one have been started; those not in `open` are finished. */
  next: z.int().nonnegative(),
  open: z
    .array(
      z.tuple([z.int().nonnegative(), z.string().min(1).max(64), z.union([z.string().max(200), z.number()])]),
    )
    .max(maxSegments),
});
type CursorState = z.infer<typeof cursorSchema>;

const fingerprint = (merchantId: string, plan: AudienceIndex) =>
  createHash('sha256')
    .update(JSON.stringify([merchantId, plan]))
    .digest('base64url')
    .slice(0, 16);

/** The plan's segments; `byMerchant` ranges are cut at `split`. */
function segmentsOf(merchantId: string, plan: AudienceIndex, split: string[]): Segment[] {
  switch (plan.index) {
    case 'byBirthday':
      return plan.monthDays.map((monthDay) => ({ partition: birthdayKey(merchantId, monthDay) }));
    case 'byStoredValue':
      return plan.to !== undefined && plan.to < plan.from
        ? []
        : [{ partition: merchantId, from: plan.from, ...(plan.to !== undefined ? { to: plan.to } : {}) }];
    case 'byMerchant': {
      // Join-date conditions that exclude each other: nobody to read.
      if (plan.from !== undefined && plan.before !== undefined && plan.from >= plan.before) return [];
      // A list sort key is `<joinedAt>#<memberId>`: never equal to a bare instant, so adjacent
      // segments sharing a bound share no member.
      const bounds = [plan.from, ...split, plan.before];
      return bounds.slice(1).map((to, i) => ({
        partition: merchantId,
        ...(bounds[i] !== undefined ? { from: bounds[i] } : {}),
        ...(to !== undefined ? { to } : {}),
      }));
    }
  }
}

type IndexName = keyof typeof indexKeys;

const inSegment = (index: IndexName, segment: Segment, sort: string | number) =>
  typeof sort === (index === 'byStoredValue' ? 'number' : 'string') &&
  (segment.from === undefined || sort >= segment.from) &&
  (segment.to === undefined || sort <= segment.to);

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** The cursor's state, only if it was made for this merchant and audience and stays inside its segments. */
function decodeCursor(merchantId: string, plan: AudienceIndex, cursor: string) {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.plan !== fingerprint(merchantId, plan)) throw new InvalidCursorError();
  const state = parsed.data;
  // Split points lie strictly inside the plan's range, in order: every segment is a real range.
  const bounds = plan.index === 'byMerchant' ? [plan.from, ...state.split, plan.before] : [];
  const ordered =
    plan.index === 'byMerchant'
      ? bounds.every(
          (bound, i) =>
            i === 0 ||
            bound === undefined ||
            bounds[i - 1] === undefined ||
            bound > (bounds[i - 1] as string),
        )
      : state.split.length === 0;
  const segments = segmentsOf(merchantId, plan, state.split);
  const started = state.open.map(([segment]) => segment);
  const valid =
    ordered &&
    state.next <= segments.length &&
    started.every(
      (segment, i) => segment < state.next && (i === 0 || segment > (started[i - 1] as number)),
    ) &&
    state.open.every(([segment, , sort]) => inSegment(plan.index, segments[segment] as Segment, sort));
  if (!valid) throw new InvalidCursorError();
  return { state, segments };
}

export function audienceReader(
  db: DynamoDBDocumentClient,
  membersTable: string,
  { segments: parallel = defaultSegments }: { segments?: number } = {},
): AudienceReader {
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > maxSegments) {
    throw new RangeError(`segments must be a whole number from 1 to ${maxSegments}`);
  }

  function query(
    index: IndexName,
    segment: Segment,
    extra: Pick<
      QueryCommandInput,
      'Limit' | 'ScanIndexForward' | 'ProjectionExpression' | 'ExclusiveStartKey'
    >,
  ) {
    const { partition, sort } = indexKeys[index];
    const range =
      segment.from !== undefined && segment.to !== undefined
        ? ' AND #sort BETWEEN :from AND :to'
        : segment.from !== undefined
          ? ' AND #sort >= :from'
          : segment.to !== undefined
            ? ' AND #sort <= :to'
            : '';
    return new QueryCommand({
      TableName: membersTable,
      IndexName: index,
      KeyConditionExpression: `#partition = :partition${range}`,
      ExpressionAttributeNames: { '#partition': partition, ...(range ? { '#sort': sort } : {}) },
      ExpressionAttributeValues: {
        ':partition': segment.partition,
        ...(segment.from !== undefined ? { ':from': segment.from } : {}),
        ...(segment.to !== undefined ? { ':to': segment.to } : {}),
      },
      ...extra,
    });
  }

  /**
   * Join instants that cut the merchant's members in the plan's range into `parallel` spans of
   * equal time; undefined when the range holds no member. Members joining later fall in the last
   * span, which is open-ended unless the audience bounds the join date.
   */
  async function splitPoints(merchantId: string, plan: AudienceIndex & { index: 'byMerchant' }) {
    const [whole] = segmentsOf(merchantId, plan, []);
    if (!whole) return undefined;
    const edge = async (forward: boolean) => {
      const { Items = [] } = await db.send(
        query('byMerchant', whole, { Limit: 1, ScanIndexForward: forward, ProjectionExpression: 'listSk' }),
      );
      const listSk = Items[0]?.listSk as string | undefined;
      return listSk === undefined ? undefined : Date.parse(listSk.slice(0, listSk.indexOf('#')));
    };
    const [first, last] = await Promise.all([edge(true), edge(false)]);
    if (first === undefined || last === undefined) return undefined;
    const points: string[] = [];
    for (let i = 1; i < parallel; i++) {
      const point = new Date(first + Math.floor(((last - first) * i) / parallel)).toISOString();
      if (point > (points.at(-1) ?? new Date(first).toISOString())) points.push(point);
    }
    return points;
  }

  async function readSegment(
    merchantId: string,
    index: IndexName,
    segment: Segment,
    after: Position | undefined,
    limit: number,
  ) {
    const { partition, sort } = indexKeys[index];
    const { Items = [], LastEvaluatedKey } = await db.send(
      query(index, segment, {
        Limit: limit,
        ...(after
          ? {
              ExclusiveStartKey: {
                ...memberKey(merchantId, after[0]),
                [partition]: segment.partition,
                [sort]: after[1],
              },
            }
          : {}),
      }),
    );
    let position: Position | undefined;
    if (LastEvaluatedKey) {
      const pk = String(LastEvaluatedKey.pk);
      position = [pk.slice(merchantId.length + 1), LastEvaluatedKey[sort] as string | number];
    }
    return { members: Items.map((item) => memberSchema.parse(item)), position };
  }

  return {
    async page(merchantId, audience, { cursor, pageSize = defaultAudiencePageSize, now, timeZone }) {
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxAudiencePageSize) {
        throw new RangeError(`pageSize must be a whole number from 1 to ${maxAudiencePageSize}`);
      }
      const plan = audienceIndex(audience);
      let state: CursorState;
      let segments: Segment[];
      if (cursor !== undefined) ({ state, segments } = decodeCursor(merchantId, plan, cursor));
      else {
        const split = plan.index === 'byMerchant' ? await splitPoints(merchantId, plan) : [];
        if (split === undefined) return { members: [] };
        state = { v: 1, plan: fingerprint(merchantId, plan), split, next: 0, open: [] };
        segments = segmentsOf(merchantId, plan, split);
      }

      const matches = audiencePredicate(audience, { now, timeZone });
      // Segments started and not finished, in segment order, each with its last member read.
      let open = state.open.map(([segment, ...position]) => ({ segment, position }));
      const members: Member[] = [];
      const readBudget = pageSize * readsPerMember;
      let read = 0;
      for (let round = 0; round < maxRounds && read < readBudget && members.length < pageSize; round++) {
        // Each segment reads at least one member: never more of them than members still wanted,
        // or than reads left.
        const room = Math.min(pageSize - members.length, readBudget - read);
        const width = Math.min(parallel, room);
        const batch: { segment: number; position?: Position }[] = open.slice(0, width);
        while (batch.length < width && state.next < segments.length) batch.push({ segment: state.next++ });
        if (batch.length === 0) break;
        const limit = Math.floor(room / batch.length);
        const results = await Promise.all(
          batch.map(({ segment, position }) =>
            readSegment(merchantId, plan.index, segments[segment] as Segment, position, limit),
          ),
        );
        const still = new Map(open.map((entry) => [entry.segment, entry.position]));
        results.forEach((result, i) => {
          const { segment } = batch[i] as { segment: number };
          read += result.members.length;
          members.push(...result.members.filter(matches));
          if (result.position) still.set(segment, result.position);
          else still.delete(segment);
        });
        open = [...still].sort(([a], [b]) => a - b).map(([segment, position]) => ({ segment, position }));
      }
      state.open = open.map(({ segment, position }) => [segment, ...position]);
      const more = state.open.length > 0 || state.next < segments.length;
      return { members, ...(more ? { cursor: encodeCursor(state) } : {}) };
    },
  };
}
