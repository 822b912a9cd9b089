import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CampaignAction,
  type CampaignState,
  type CampaignStatus,
  campaignMessageId,
  campaignStatuses,
  campaignTransition,
  editRefusal,
  isHeldOut,
  oneOffAt,
  runIdOf,
  runRefusal,
  statusAfterRun,
} from '../../../shared/domain/campaign';

const once = { kind: 'now' };
const recurring = { kind: 'recurring' };
const state = (status: CampaignStatus, extra: Partial<CampaignState> = {}): CampaignState => ({
  status,
  schedule: once,
  ...extra,
});
const actions: CampaignAction[] = ['schedule', 'pause', 'resume', 'cancel'];

describe('campaignTransition', () => {
  it.each([
    ['draft', 'schedule', 'scheduled'],
    ['scheduled', 'pause', 'paused'],
    ['running', 'pause', 'paused'],
    ['draft', 'cancel', 'cancelled'],
    ['scheduled', 'cancel', 'cancelled'],
    ['running', 'cancel', 'cancelled'],
    ['paused', 'cancel', 'cancelled'],
  ] as const)('takes a %s campaign asked to %s to %s', (from, action, to) => {
    expect(campaignTransition(state(from), action)).toEqual({ ok: true, to });
  });

  it('resumes a paused campaign to running when it has an unfinished run, else to scheduled', () => {
    expect(campaignTransition(state('paused', { currentRun: '2027-01-04T02:00:00.000Z' }), 'resume')).toEqual(
      {
        ok: true,
        to: 'running',
      },
    );
    expect(campaignTransition(state('paused'), 'resume')).toEqual({ ok: true, to: 'scheduled' });
  });

  it.each([
    ['scheduled', 'schedule', /already scheduled; only a draft can be scheduled/],
    ['draft', 'pause', /a draft sends nothing/],
    ['paused', 'pause', /already paused/],
    ['scheduled', 'resume', /is scheduled; only a paused campaign can be resumed/],
    ['completed', 'cancel', /has completed/],
    ['cancelled', 'resume', /was cancelled/],
  ] as const)('refuses to take a %s campaign to %s, with the reason', (from, action, reason) => {
    const result = campaignTransition(state(from), action);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('never leaves completed or cancelled, and never returns to draft', () => {
    fc.assert(
      fc.property(fc.constantFrom(...campaignStatuses), fc.constantFrom(...actions), (status, action) => {
        const result = campaignTransition(state(status), action);
        if (status === 'completed' || status === 'cancelled') expect(result.ok).toBe(false);
        if (result.ok) expect(result.to).not.toBe('draft');
      }),
    );
  });
});

describe('editRefusal', () => {
  it('lets a draft and a scheduled campaign that has not run be changed, and nothing else', () => {
    const editable = campaignStatuses.flatMap((status) =>
      [{}, { currentRun: 'r1' }, { lastRun: 'r0' }]
        .filter((extra) => editRefusal({ ...state(status), ...extra }) === undefined)
        .map((extra) => [status, Object.keys(extra)]),
    );
    expect(editable).toEqual([
      ['draft', []],
      ['draft', ['currentRun']],
      ['draft', ['lastRun']],
      ['scheduled', []],
    ]);
    expect(editRefusal({ ...state('scheduled', { schedule: recurring }), lastRun: 'r0' })).toMatch(
      /started sending/,
    );
    expect(editRefusal(state('completed'))).toBe('the campaign has completed');
  });
});

describe('runRefusal', () => {
  const run = '2027-01-04T02:00:00.000Z';
  it('lets a scheduled campaign start a run, and a running one continue the same run only', () => {
    expect(runRefusal(state('scheduled'), run)).toBeUndefined();
    expect(runRefusal(state('running', { currentRun: run }), run)).toBeUndefined();
    expect(runRefusal(state('running', { currentRun: run }), '2027-01-05T02:00:00.000Z')).toBe(
      `run ${run} is not finished`,
    );
  });

  it.each(['draft', 'paused', 'completed', 'cancelled'] as const)(
    'refuses any run of a %s campaign',
    (status) => {
      expect(runRefusal(state(status, { currentRun: run }), run)).toBe(`the campaign is ${status}`);
    },
  );
});

describe('statusAfterRun', () => {
  it('completes a one-off, even one paused meanwhile; a recurring campaign waits for its next firing', () => {
    expect(statusAfterRun(state('running'))).toBe('completed');
    expect(statusAfterRun(state('paused'))).toBe('completed');
    expect(statusAfterRun(state('running', { schedule: recurring }))).toBe('scheduled');
    expect(statusAfterRun(state('paused', { schedule: recurring }))).toBe('paused');
    expect(statusAfterRun(state('cancelled', { schedule: recurring }))).toBe('cancelled');
  });
});

describe('isHeldOut', () => {
  const members = Array.from({ length: 10_000 }, (_, i) => `mem-${i}`);

  it('holds out nobody at 0% and about the percentage of members otherwise', () => {
    expect(members.filter((m) => isHeldOut('C1', m, 0))).toEqual([]);
    const held = members.filter((m) => isHeldOut('C1', m, 10)).length;
    // Binomial(10,000, 0.1): the standard deviation is 30; 5 of them either side.
    expect(held).toBeGreaterThan(850);
    expect(held).toBeLessThan(1150);
  });

  it('is the same for a member every time, and differs between campaigns', () => {
    const first = members.filter((m) => isHeldOut('C1', m, 20));
    expect(members.filter((m) => isHeldOut('C1', m, 20))).toEqual(first);
    expect(members.filter((m) => isHeldOut('C2', m, 20))).not.toEqual(first);
  });

  it('only adds members to the holdout as the percentage rises', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (campaignId, memberId, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          if (isHeldOut(campaignId, memberId, low)) expect(isHeldOut(campaignId, memberId, high)).toBe(true);
        },
      ),
    );
  });
});

describe('run and message ids', () => {
  it('name a run by its scheduled instant however Scheduler wrote it, and a text by run and member', () => {
    expect(runIdOf('2027-01-04T02:00:00Z')).toBe('2027-01-04T02:00:00.000Z');
    expect(runIdOf('2027-01-04T10:00:00+08:00')).toBe('2027-01-04T02:00:00.000Z');
    expect(campaignMessageId('C1', '2027-01-04T02:00:00.000Z', 'mem-1')).toBe(
      'campaign#C1#2027-01-04T02:00:00.000Z#mem-1',
    );
  });
});

describe('oneOffAt', () => {
  const now = new Date('2027-01-04T02:00:00.400Z');
  it('is never sooner than a minute from now, in whole seconds', () => {
    expect(oneOffAt(now).toISOString()).toBe('2027-01-04T02:01:01.000Z');
    expect(oneOffAt(now, new Date('2027-01-04T01:00:00Z')).toISOString()).toBe('2027-01-04T02:01:01.000Z');
    expect(oneOffAt(now, new Date('2027-01-05T09:00:00Z')).toISOString()).toBe('2027-01-05T09:00:00.000Z');
  });
});
