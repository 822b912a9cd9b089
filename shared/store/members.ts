import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Contact,
  type MarketingConsent,
  type Member,
  marketingConsentSchema,
  memberSchema,
} from '../schemas/member';

/**
 * One partition per merchant + phone, so a text or an API call finds everything about a phone
 * in one query: `MEMBER` (the profile and points balance) and `CONSENT` (marketing opt-in/out,
 * kept even for phones that never joined so an opt-out is honoured if they join later).
 */
export const memberKey = (merchantId: string, phone: string) => ({
  pk: `${merchantId}#${phone}`,
  sk: 'MEMBER',
});
const consentKey = (merchantId: string, phone: string) => ({ pk: `${merchantId}#${phone}`, sk: 'CONSENT' });

export interface MembersStore {
  contact(merchantId: string, phone: string): Promise<Contact>;
  /** Creates the member unless the phone already is one; returns whether it did. */
  register(member: Member): Promise<boolean>;
  /** Records a consent change; returns false when the status already was that. */
  recordMarketingConsent(merchantId: string, phone: string, consent: MarketingConsent): Promise<boolean>;
}

export function membersStore(db: DynamoDBDocumentClient, tableName: string): MembersStore {
  const putIf = async (
    item: Record<string, unknown>,
    condition: string,
    values?: Record<string, unknown>,
  ) => {
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(values ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  };

  return {
    async contact(merchantId, phone) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': memberKey(merchantId, phone).pk },
          // A text that follows a join or an opt-out within a second must see it.
          ConsistentRead: true,
        }),
      );
      const contact: Contact = {};
      for (const item of Items) {
        if (item.sk === 'MEMBER') contact.member = memberSchema.parse(item);
        if (item.sk === 'CONSENT') contact.marketing = marketingConsentSchema.parse(item);
      }
      return contact;
    },
    register(member) {
      return putIf(
        { ...memberKey(member.merchantId, member.phone), ...memberSchema.parse(member) },
        'attribute_not_exists(pk)',
      );
    },
    recordMarketingConsent(merchantId, phone, consent) {
      return putIf(
        { ...consentKey(merchantId, phone), ...marketingConsentSchema.parse(consent) },
        'attribute_not_exists(pk) OR #status <> :status',
        { ':status': consent.status },
      );
    },
  };
}
