import { type Accounts, booksBalance } from './soak-accounts';
import type { memoryFigures } from './soak-memory';
import type { Tally } from './soak-tally';

/** How hard and how long the soak drives the runtime. */
export interface SoakOptions {
  minutes: number;
  /** Customers' texts per second, at a steady rate. */
  textsPerSecond: number;
  /** Merchant API calls per second (earn, member reads and list pages), besides the campaigns. */
  callsPerSecond: number;
  /** One campaign to a group of 20 opted-in members this often. */
  campaignEverySeconds: number;
}

export const soakDefaults: SoakOptions = {
  minutes: 10,
  textsPerSecond: 5,
  callsPerSecond: 3,
  campaignEverySeconds: 20,
};

/** What a soak found; soak-report.ts writes it up. */
export interface SoakResult {
  options: SoakOptions;
  /** The shape of the traffic, for the report's description of it. */
  setup: { customers: number; members: number; groupSize: number; sampleEverySeconds: number };
  tally: Tally;
  ticks: { texts: { ticks: number; missed: number }; calls: { ticks: number; missed: number } };
  memory: ReturnType<typeof memoryFigures>;
  drainSeconds: number;
  accounts: Accounts;
  balances: { members: number; listed: number; matching: number };
  /** In = out + DLQ, every reply owed is there, nothing doubled, every balance right, every request settled. */
  holds: boolean;
}

export function holds(result: Omit<SoakResult, 'holds'>): boolean {
  const { accounts, balances, tally } = result;
  return booksBalance(accounts) && balances.matching === balances.members && tally.unsettled.size === 0;
}
