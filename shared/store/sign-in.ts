import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  codeHour,
  codesPerHour,
  codeTries,
  type SessionTimes,
  type StoredCode,
  sessionEndsAt,
} from '../domain/sign-in';
import { isConditionFailure } from './transactions';

/**
 * Staff sign-in, in the Sessions table, every item expiring (`expiresAt`, epoch seconds) when it can
 * no longer be used:
 * - `CODE#<phone>`: the one code a phone may use now (a new code replaces it), hashed, with its tries;
 * - `CODES#<phone>#<epoch hour>`: how many codes the phone was sent in that hour;
 * - `SESSION#<session id>`: an open session, by the SHA-256 of its token; the merchant and staff
 *   member it is for, never their role, which is read from the staff item on every request.
 */
export interface SignInStore {
  /** Counts a code for the phone in this hour; false (and nothing counted) when it had its codes. */
  countCode(phone: string, now: Date): Promise<boolean>;
  putCode(phone: string, code: Omit<StoredCode, 'tries'>): Promise<void>;
  /**
   * Counts one guess at the phone's code before it is judged, so guesses at once cannot pass the
   * limit: the code as stored with this guess counted, or undefined when there is none or it had
   * all its tries.
   */
  guessCode(phone: string): Promise<StoredCode | undefined>;
  /** Uses the code up (it opens one session); false when another guess used it first. */
  spendCode(phone: string, code: StoredCode): Promise<boolean>;
  openSession(sessionId: string, session: Session): Promise<void>;
  session(sessionId: string): Promise<Session | undefined>;
  /** Moves the session's last use (and so its idle expiry) to `session.lastSeenAt`. */
  touchSession(sessionId: string, session: Session): Promise<void>;
  endSession(sessionId: string): Promise<void>;
}

export interface Session extends SessionTimes {
  merchantId: string;
  staffId: string;
}

const codeKey = (phone: string) => ({ pk: `CODE#${phone}` });
const sessionKey = (sessionId: string) => ({ pk: `SESSION#${sessionId}` });
const epochSeconds = (ms: number) => Math.ceil(ms / 1000);

export function signInStore(db: DynamoDBDocumentClient, tableName: string): SignInStore {
  return {
    async countCode(phone, now) {
      const hour = codeHour(now);
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `CODES#${phone}#${hour}` },
            UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':limit': codesPerHour, ':expiresAt': (hour + 2) * 3600 },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async putCode(phone, code) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...codeKey(phone), ...code, tries: 0, expiresAt: epochSeconds(code.validUntil) },
        }),
      );
    },
    async guessCode(phone) {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: codeKey(phone),
            UpdateExpression: 'ADD tries :one',
            ConditionExpression: 'attribute_exists(pk) AND tries < :tries',
            ExpressionAttributeValues: { ':one': 1, ':tries': codeTries },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const { salt, hash, validUntil, tries } = Attributes as StoredCode;
        return { salt, hash, validUntil, tries };
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },
    async spendCode(phone, code) {
      try {
        await db.send(
          new DeleteCommand({
            TableName: tableName,
            Key: codeKey(phone),
            ConditionExpression: '#hash = :hash',
            ExpressionAttributeNames: { '#hash': 'hash' },
            ExpressionAttributeValues: { ':hash': code.hash },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async openSession(sessionId, session) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...sessionKey(sessionId), ...session, expiresAt: sessionEndsAt(session) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async session(sessionId) {
      // Strongly consistent: a session ended a moment ago is refused at once, on every instance.
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: sessionKey(sessionId), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const { merchantId, staffId, createdAt, lastSeenAt } = Item as Session;
      return { merchantId, staffId, createdAt, lastSeenAt };
    },
    async touchSession(sessionId, session) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: sessionKey(sessionId),
            UpdateExpression: 'SET lastSeenAt = :at, expiresAt = :expiresAt',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': session.lastSeenAt, ':expiresAt': sessionEndsAt(session) },
          }),
        );
      } catch (error) {
        // Signed out between the read and the touch: the next request finds no session.
        if (!isConditionFailure(error)) throw error;
      }
    },
    async endSession(sessionId) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: sessionKey(sessionId) }));
    },
  };
}
