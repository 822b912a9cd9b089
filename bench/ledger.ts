import { randomUUID } from 'node:crypto';
import { startDynamoDBLocal } from '../local/dynamodb-local';
import { createTables } from '../local/tables';
import type { Posting } from '../shared/domain/ledger';
import { Env } from '../shared/env';
import { tables } from '../shared/resources';
import { ledgerStore, type MemberRef } from '../shared/store/ledger';
import { membersStore } from '../shared/store/members';
import type { Benchmark } from './benchmark';
import { table } from './benchmark';

const operations = 2_000;

/**
 * Ledger operations per second on DynamoDB Local: each is one transaction (key, entry, balance,
 * lot). Sequential on one member, then 16 at a time spread over 64 members (one member's writes
 * serialise on its item, as in AWS). DynamoDB Local is one JVM on this machine, so the figures
 * are for comparing changes, not a forecast of AWS throughput.
 */
export const ledgerBench: Benchmark = {
  title: 'Ledger operations on DynamoDB Local',
  async run() {
    const dynamo = await startDynamoDBLocal();
    try {
      const env = new Env({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
      await createTables(env.dynamoClient());
      const members = membersStore(env.dynamo(), tables.members.name);
      const ledger = ledgerStore(env.dynamo(), tables.ledger.name, tables.members.name);
      const newMember = async (): Promise<MemberRef> => {
        const member = {
          merchantId: 'bench',
          memberId: randomUUID(),
          phone: `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
          joinedAt: new Date().toISOString(),
          joinChannel: 'import' as const,
          joinRef: 'bench',
          points: 0,
        };
        await members.register(member);
        return member;
      };
      const posting = (i: number): Posting =>
        i % 3 === 2
          ? { book: 'points', type: 'redeem', delta: -1 }
          : { book: 'points', type: 'earn', delta: 2, expiresOn: '2027-12-31' };
      const post = (member: MemberRef, i: number) =>
        ledger.post({
          merchantId: 'bench',
          member,
          posting: posting(i),
          idempotencyKey: randomUUID(),
          at: new Date(),
          year: '2026',
        });

      const one = await newMember();
      await post(one, 0); // warm the JVM's code paths
      let started = performance.now();
      for (let i = 0; i < operations; i++) await post(one, i);
      const sequential = operations / ((performance.now() - started) / 1000);

      const many = await Promise.all(Array.from({ length: 64 }, newMember));
      let next = 0;
      started = performance.now();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = next++; i < operations; i = next++) await post(many[i % many.length] as MemberRef, i);
        }),
      );
      const concurrent = operations / ((performance.now() - started) / 1000);

      const report = table(
        [
          { header: 'mode', align: 'left' },
          { header: 'operations', align: 'right' },
          { header: 'ops/s', align: 'right' },
          { header: '÷ sequential', align: 'right' },
        ],
        [
          ['sequential, one member', String(operations), sequential.toFixed(0), '×1'],
          [
            '16 in flight, 64 members',
            String(operations),
            concurrent.toFixed(0),
            `×${(concurrent / sequential).toFixed(1)}`,
          ],
        ],
      );
      const figure = 'ledger ops/s, 16 in flight ÷ one at a time';
      const value = `×${(concurrent / sequential).toFixed(1)} (${concurrent.toFixed(0)} ops/s)`;
      return { ...report, headlines: [{ figure, value }] };
    } finally {
      await dynamo.stop();
    }
  },
};
