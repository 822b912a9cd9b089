import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import { countCardRefunded, countCardSold, countCardUsed, eventOf } from '../../events';
import { cardRefusal, refundCents } from '../domain/count-cards';
import type { Posting } from '../domain/ledger';
import { bonusSpent } from '../domain/top-up-bonus';
import { type CardActor, type CountCard, countCardSchema } from '../schemas/count-card';
import type { Common, CountCardsStore } from './count-card-requests';
import { postingWriter, type TransactItems } from './ledger/posting';
import { storedValueParts } from './ledger/stored-value';
import { memberKey } from './members';
import { outboxPut } from './outbox';
import { listAll } from './paging';
import { cancellationCodes, retryConflicts } from './transactions';

export type * from './count-card-requests';

/**
 * Members' count cards (计次卡), in the Benefits table beside their claims:
 * - `<merchant>#<member id>` / `CARD#<card id>`: the card, with the uses it has left. A use is a
 *   conditional write (`usesLeft` as read, not refunded, not expired), so uses never go below zero
 *   however many cashiers race for the last one.
 * - `<merchant>#CARD-OP#<idempotency key>` / `CARD-OP`: the sale, use or refund done under that key,
 *   written in the operation's transaction on condition that it is new: a retry changes nothing.
 * - `<merchant>#CARD-EXPIRES#<YYYY-MM-DD>` / `<card id>`: the cards expiring that day, so the expiry
 *   reminder reads the days ahead without a scan. It holds the member id only, no phone: nothing
 *   personal to erase.
 * A sale paid from stored value is one transaction with its ledger posting (key, entry, balance,
 * conditioned on enough stored value); so is a refund to stored value.
 */
const cardKey = (merchantId: string, memberId: string, cardId: string) => ({
  pk: `${merchantId}#${memberId}`,
  sk: `CARD#${cardId}`,
});
const opKey = (merchantId: string, idempotencyKey: string) => ({
  pk: `${merchantId}#CARD-OP#${idempotencyKey}`,
  sk: 'CARD-OP',
});
const expiresPk = (merchantId: string, date: string) => `${merchantId}#CARD-EXPIRES#${date}`;
/** The ledger key of a count card's posting: apart from the keys of the API's own ledger operations. */
export const cardLedgerKey = (idempotencyKey: string) => `count-card:${idempotencyKey}`;

type Operation = 'sale' | 'use' | 'refund';
const fingerprintOf = (...parts: (string | number)[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('base64url');

const toCard = (item: Record<string, unknown>) => {
  const { pk: _, sk: __, ...rest } = item;
  return countCardSchema.parse(rest);
};

/** Uses racing for one card conflict or find it changed; each goes again on what it reads then. */
const useAttempts = 25;
/** Rounds of a sale from stored value whose parts another write moved meanwhile. */
const saleRounds = 8;

export function countCardsStore(
  db: DynamoDBDocumentClient,
  tables: { benefits: string; ledger: string; members: string; outbox?: string },
): CountCardsStore {
  const ledger = postingWriter(db, tables.ledger, tables.members, tables.outbox);
  const tableName = tables.benefits;

  const card = async (merchantId: string, memberId: string, cardId: string) => {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: cardKey(merchantId, memberId, cardId),
        ConsistentRead: true,
      }),
    );
    return Item ? toCard(Item) : undefined;
  };

  /** The operation done under a key before: its card as it is now, or a conflict. */
  const replay = async (
    merchantId: string,
    idempotencyKey: string,
    fingerprint: string,
  ): Promise<{ status: 'replayed'; card: CountCard } | { status: 'conflict' }> => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: opKey(merchantId, idempotencyKey), ConsistentRead: true }),
    );
    if (!Item || Item.fingerprint !== fingerprint) return { status: 'conflict' };
    const found = await card(merchantId, Item.memberId as string, Item.cardId as string);
    if (!found) throw new Error(`count card operation ${idempotencyKey} names a card that is not there`);
    return { status: 'replayed', card: found };
  };

  const opPut = (
    request: Common,
    operation: Operation,
    fingerprint: string,
    memberId: string,
    cardId: string,
  ): TransactItems[number] => ({
    Put: {
      TableName: tableName,
      Item: {
        ...opKey(request.merchantId, request.idempotencyKey),
        operation,
        fingerprint,
        memberId,
        cardId,
        by: request.by,
        at: request.at.toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  const eventPut = (request: Common, event: ReturnType<typeof eventOf>): TransactItems => {
    if (!tables.outbox) return [];
    return [outboxPut(tables.outbox, event, request.at)];
  };

  const by = (actor: CardActor) => ({ kind: actor.kind, id: actor.id });

  const store: CountCardsStore = {
    card,
    async cards(merchantId, memberId) {
      const items = await listAll(
        db,
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :card)',
          ExpressionAttributeValues: { ':pk': `${merchantId}#${memberId}`, ':card': 'CARD#' },
          ConsistentRead: true,
        },
        [],
      );
      return items.map(toCard);
    },

    async sell(request) {
      const { merchantId, member, product, payment, idempotencyKey, at } = request;
      const fingerprint = fingerprintOf('sale', member.memberId, product.productId, payment);
      const sold: CountCard = {
        cardId: ulid(at.getTime()),
        memberId: member.memberId,
        productId: product.productId,
        name: product.name,
        uses: product.uses,
        usesLeft: product.uses,
        expiresOn: request.expiresOn,
        ...(product.stores ? { stores: product.stores } : {}),
        pricePaid: product.priceCents,
        payment,
        soldAt: at.toISOString(),
        soldBy: request.by,
      };
      const paysFromStoredValue = payment === 'stored-value' && product.priceCents > 0;
      // Paid from stored value (充值赠送): the price split between paid and bonus money in the
      // merchant's order, from the parts as read; written on condition they are unchanged, and split
      // again from a fresh read when another write moved them first.
      for (let round = 1; ; round++) {
        const parts = paysFromStoredValue
          ? await storedValueParts(db, tables.members, merchantId, member)
          : undefined;
        const fromBonus = parts
          ? bonusSpent(product.priceCents, parts, request.bonusSpendOrder ?? 'last')
          : 0;
        // The card keeps what of its price was bonus money: a refund gives that share back as bonus.
        const card: CountCard = fromBonus > 0 ? { ...sold, paidFromBonus: fromBonus } : sold;
        const posting: Posting = {
          book: 'storedValue',
          type: 'spend',
          delta: -product.priceCents,
          reason: `计次卡 ${product.name}`,
          ...(parts ? { bonusDelta: -fromBonus } : {}),
          ...(request.storeId ? { storeId: request.storeId } : {}),
        };
        const postInput = {
          merchantId,
          member,
          posting,
          idempotencyKey: cardLedgerKey(idempotencyKey),
          at,
          year: request.year,
          ...(parts && parts.storedValue >= product.priceCents ? { partsWere: parts } : {}),
        };
        const prepared = paysFromStoredValue ? ledger.prepare(postInput) : undefined;
        const memberItems: TransactItems = prepared?.items ?? [
          {
            ConditionCheck: {
              TableName: tables.members,
              Key: memberKey(merchantId, member.phone),
              ConditionExpression:
                'attribute_exists(pk) AND memberId = :memberId AND attribute_not_exists(deletedAt)',
              ExpressionAttributeValues: { ':memberId': member.memberId },
            },
          },
        ];
        const offset = memberItems.length;
        const items: TransactItems = [
          ...memberItems,
          opPut(request, 'sale', fingerprint, member.memberId, sold.cardId),
          {
            Put: {
              TableName: tableName,
              Item: { ...cardKey(merchantId, member.memberId, sold.cardId), ...card },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                pk: expiresPk(merchantId, sold.expiresOn),
                sk: sold.cardId,
                memberId: member.memberId,
                expiresOn: sold.expiresOn,
              },
            },
          },
          ...eventPut(
            request,
            eventOf(countCardSold, {
              eventId: `count-card-sold:${idempotencyKey}`,
              merchantId,
              memberId: member.memberId,
              cardId: sold.cardId,
              productId: product.productId,
              name: product.name,
              by: by(request.by),
              idempotencyKey,
              at: sold.soldAt,
              uses: sold.uses,
              expiresOn: sold.expiresOn,
              pricePaid: sold.pricePaid,
              payment,
            }),
          ),
        ];
        try {
          await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: items })), 12);
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes) throw error;
          if (codes[offset] === 'ConditionalCheckFailed')
            return replay(merchantId, idempotencyKey, fingerprint);
          if (prepared) {
            const outcome = await ledger.explain(postInput, prepared.fingerprint, codes);
            if (outcome?.status === 'no-member') return outcome;
            if (outcome?.status === 'insufficient') {
              // Short, or the parts moved since they were read: the latter splits again.
              const now = await storedValueParts(db, tables.members, merchantId, member);
              if (!now || now.storedValue < product.priceCents || round >= saleRounds) return outcome;
              continue;
            }
            if (outcome) return { status: 'conflict' };
          } else if (codes[0] === 'ConditionalCheckFailed') {
            return { status: 'no-member' };
          }
          throw error;
        }
        if (!prepared) return { status: 'sold', card };
        const applied = await ledger.applied(postInput, prepared.entryId, prepared.at);
        return {
          status: 'sold',
          card,
          ...('balances' in applied ? { balances: applied.balances } : {}),
        };
      }
    },

    async use(request) {
      const { merchantId, memberId, cardId, idempotencyKey, at, today } = request;
      const fingerprint = fingerprintOf('use', memberId, cardId);
      for (let attempt = 1; ; attempt++) {
        const now = await card(merchantId, memberId, cardId);
        if (!now) return { status: 'unknown' };
        const refusal = cardRefusal(now, today, request.storeId);
        if (refusal) {
          // A retry of a use that took the last one finds the card used up: it is answered as done.
          const done = await replay(merchantId, idempotencyKey, fingerprint);
          if (done.status === 'replayed') return done;
          return { status: 'refused', reason: refusal, card: now };
        }
        const used: CountCard = { ...now, usesLeft: now.usesLeft - 1, lastUsedAt: at.toISOString() };
        const items: TransactItems = [
          opPut(request, 'use', fingerprint, memberId, cardId),
          {
            Update: {
              TableName: tableName,
              Key: cardKey(merchantId, memberId, cardId),
              UpdateExpression: 'SET usesLeft = :left, lastUsedAt = :at',
              ConditionExpression:
                'usesLeft = :was AND usesLeft > :zero AND expiresOn >= :today AND attribute_not_exists(refundedAt)',
              ExpressionAttributeValues: {
                ':left': used.usesLeft,
                ':was': now.usesLeft,
                ':zero': 0,
                ':today': today,
                ':at': used.lastUsedAt,
              },
            },
          },
          ...eventPut(
            request,
            eventOf(countCardUsed, {
              eventId: `count-card-used:${idempotencyKey}`,
              merchantId,
              memberId,
              cardId,
              productId: now.productId,
              name: now.name,
              by: by(request.by),
              ...(request.storeId ? { storeId: request.storeId } : {}),
              idempotencyKey,
              at: at.toISOString(),
              usesLeft: used.usesLeft,
            }),
          ),
        ];
        try {
          await db.send(new TransactWriteCommand({ TransactItems: items }));
          return { status: 'used', card: used };
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes) throw error;
          if (codes[0] === 'ConditionalCheckFailed') return replay(merchantId, idempotencyKey, fingerprint);
          const raced = codes.includes('TransactionConflict') || codes[1] === 'ConditionalCheckFailed';
          if (!raced || attempt >= useAttempts) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * attempt)));
        }
      }
    },

    async refund(request) {
      const { merchantId, member, cardId, idempotencyKey, at } = request;
      const fingerprint = fingerprintOf('refund', member.memberId, cardId);
      for (let attempt = 1; ; attempt++) {
        const now = await card(merchantId, member.memberId, cardId);
        if (!now) return { status: 'unknown' };
        if (now.refundedAt) {
          const done = await replay(merchantId, idempotencyKey, fingerprint);
          return done.status === 'replayed' ? done : { status: 'refused', reason: 'refunded', card: now };
        }
        const cents = refundCents(now.pricePaid, now.usesLeft, now.uses);
        const refunded: CountCard = {
          ...now,
          usesLeft: 0,
          refundedAt: at.toISOString(),
          refundedUses: now.usesLeft,
          refundCents: cents,
        };
        const postInput = {
          merchantId,
          member,
          posting: {
            book: 'storedValue',
            type: 'top-up',
            delta: cents,
            reason: `计次卡退款 ${now.name}`,
            // What of the price was bonus money goes back as bonus, in proportion: never as cash.
            ...(now.paidFromBonus
              ? { bonusDelta: Math.floor((cents * now.paidFromBonus) / now.pricePaid) }
              : {}),
          } satisfies Posting,
          idempotencyKey: cardLedgerKey(idempotencyKey),
          at,
          year: request.year,
        };
        const prepared = now.payment === 'stored-value' && cents > 0 ? ledger.prepare(postInput) : undefined;
        const offset = prepared?.items.length ?? 0;
        const items: TransactItems = [
          ...(prepared?.items ?? []),
          opPut(request, 'refund', fingerprint, member.memberId, cardId),
          {
            Update: {
              TableName: tableName,
              Key: cardKey(merchantId, member.memberId, cardId),
              UpdateExpression:
                'SET usesLeft = :zero, refundedAt = :at, refundedUses = :was, refundCents = :cents',
              ConditionExpression: 'usesLeft = :was AND attribute_not_exists(refundedAt)',
              ExpressionAttributeValues: {
                ':zero': 0,
                ':was': now.usesLeft,
                ':at': refunded.refundedAt,
                ':cents': cents,
              },
            },
          },
          ...eventPut(
            request,
            eventOf(countCardRefunded, {
              eventId: `count-card-refunded:${idempotencyKey}`,
              merchantId,
              memberId: member.memberId,
              cardId,
              productId: now.productId,
              name: now.name,
              by: by(request.by),
              idempotencyKey,
              at: at.toISOString(),
              refundedUses: now.usesLeft,
              refundCents: cents,
              payment: now.payment,
            }),
          ),
        ];
        try {
          await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: items })), 12);
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes) throw error;
          if (codes[offset] === 'ConditionalCheckFailed')
            return replay(merchantId, idempotencyKey, fingerprint);
          if (prepared) {
            const outcome = await ledger.explain(postInput, prepared.fingerprint, codes);
            if (outcome?.status === 'no-member') return outcome;
            if (outcome) return { status: 'conflict' };
          }
          // The card was used meanwhile: the refund is worked out again on what is left.
          if (codes[offset + 1] !== 'ConditionalCheckFailed' || attempt >= useAttempts) throw error;
          continue;
        }
        if (!prepared) return { status: 'refunded', card: refunded };
        const applied = await ledger.applied(postInput, prepared.entryId, prepared.at);
        return {
          status: 'refunded',
          card: refunded,
          ...('balances' in applied ? { balances: applied.balances } : {}),
        };
      }
    },

    async expiringOn(merchantId, date) {
      const items = await listAll(
        db,
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': expiresPk(merchantId, date) },
        },
        [],
      );
      return items.map((item) => ({
        cardId: item.sk as string,
        memberId: item.memberId as string,
        expiresOn: item.expiresOn as string,
      }));
    },
  };
  return store;
}
