import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { couponKey } from '../benefit-claims';
import { queryAll } from '../paging';

/**
 * The Benefits table under an erased member: the claims (member id, benefit, dates) stay, so the
 * benefit's counts and stock still add up; each claim's coupon, which carries the phone to tell when
 * it is used, is deleted: nobody is left to use it, and its code is then unknown at the counter.
 */
export async function eraseFromBenefits(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  memberId: string,
): Promise<number> {
  let coupons = 0;
  for await (const claim of queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :claims)',
    ExpressionAttributeValues: { ':pk': `${merchantId}#${memberId}`, ':claims': 'CLAIM#' },
    ProjectionExpression: 'couponCode',
  })) {
    if (typeof claim.couponCode !== 'string') continue;
    const { Attributes } = await db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: couponKey(merchantId, claim.couponCode),
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (Attributes) coupons += 1;
  }
  return coupons;
}
