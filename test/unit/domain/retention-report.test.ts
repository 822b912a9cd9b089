import { describe, expect, it } from 'vitest';
import { retentionReport, retentionReportSchema } from '../../../shared/domain/retention-report';
import type { Cohort, RetentionRule, ZoneSnapshot } from '../../../shared/schemas/retention';

const snapshot = (date: string, fields: Partial<ZoneSnapshot> = {}): ZoneSnapshot => ({
  merchantId: 'shop-1',
  date,
  runId: date,
  zones: {},
  transitions: {},
  cohorts: {},
  scoredAt: `${date}T19:05:00.000Z`,
  ...fields,
});
const rule = (
  ruleId: string,
  zone: RetentionRule['zone'],
  status: RetentionRule['status'],
): RetentionRule => ({
  merchantId: 'shop-1',
  ruleId,
  name: `Win back ${zone}`,
  zone,
  templateId: 'win-back',
  coolDownDays: 30,
  holdoutPercent: 20,
  status,
  createdAt: '2026-01-01T00:00:00.000Z',
});
const cohort = (fields: Partial<Cohort>): Cohort => ({
  treated: 0,
  treatedRetained: 0,
  holdout: 0,
  holdoutRetained: 0,
  open: 0,
  ...fields,
});

const rules = [rule('R1', 'red', 'active'), rule('R2', 'yellow', 'stopped'), rule('R3', 'blue', 'active')];

describe('retentionReport', () => {
  // The latest is 30 June; 30 days before is 31 May, which has no snapshot: 29 May is the nearest older.
  const snapshots = [
    snapshot('2026-05-25', { zones: { green: 50, red: 5 } }),
    snapshot('2026-05-29', {
      zones: { green: 40, blue: 12, yellow: 6, red: 4, white: 8 },
      // On or before 31 May: its changes led up to the earlier picture, not from it.
      transitions: { 'green>red': 99 },
    }),
    snapshot('2026-06-01', { transitions: { 'none>green': 3, 'green>blue': 2 } }),
    snapshot('2026-06-15', {
      transitions: { 'green>blue': 1, 'blue>red': 2, 'red>green': 1 },
      cohorts: { R1: cohort({ treated: 1000 }) },
    }),
    snapshot('2026-06-30', {
      zones: { green: 38, blue: 14, yellow: 6, red: 7, white: 9 },
      transitions: { 'blue>red': 1 },
      cohorts: {
        R1: cohort({ treated: 40, treatedRetained: 10, holdout: 10, holdoutRetained: 1, open: 6 }),
        R2: cohort({ treated: 3, treatedRetained: 2, holdout: 3, holdoutRetained: 1 }),
      },
    }),
  ];

  it('reports zones now and 30 days before, the changes between, and each rule’s lift (hand-computed)', () => {
    const report = retentionReport(snapshots, rules);
    expect(retentionReportSchema.parse(report)).toEqual(report);
    expect(report.latest).toEqual({
      date: '2026-06-30',
      zones: { green: 38, blue: 14, yellow: 6, red: 7, white: 9 },
      scoredAt: '2026-06-30T19:05:00.000Z',
    });
    expect(report.previous).toEqual({
      date: '2026-05-29',
      zones: { green: 40, blue: 12, yellow: 6, red: 4, white: 8 },
    });
    // 1, 15 and 30 June added: green>blue 2 + 1 = 3, blue>red 2 + 1 = 3; 29 May's 99 left out.
    expect(report.transitions).toEqual({ 'none>green': 3, 'green>blue': 3, 'blue>red': 3, 'red>green': 1 });
    // Into green: none>green 3 + red>green 1 = 4; into blue: 3; into red: 3.
    expect(report.entered).toEqual({ green: 4, blue: 3, red: 3 });
    expect(report.rules).toEqual([
      {
        ruleId: 'R1',
        name: 'Win back red',
        zone: 'red',
        status: 'active',
        // 10 / 40 = 25%; 1 / 10 = 10%; lift 25 − 10 = 15 points. The cohorts of 15 June are not added.
        treated: { members: 40, retained: 10, rate: 25 },
        holdout: { members: 10, retained: 1, rate: 10 },
        liftPoints: 15,
        // Newcombe's 95% interval (shared/domain/proportion-difference.ts): it holds 0, a group of 10 is small.
        liftInterval: { low: -17.3, high: 32.3 },
        openWindows: 6,
      },
      {
        ruleId: 'R2',
        name: 'Win back yellow',
        zone: 'yellow',
        status: 'stopped',
        // 2 / 3 = 66.67% → 66.7; 1 / 3 = 33.33% → 33.3; lift 66.67 − 33.33 = 33.33 → 33.3 (not 66.7 − 33.3 = 33.4).
        treated: { members: 3, retained: 2, rate: 66.7 },
        holdout: { members: 3, retained: 1, rate: 33.3 },
        liftPoints: 33.3,
        liftInterval: { low: -31.6, high: 71.8 },
        openWindows: 0,
      },
      {
        ruleId: 'R3',
        name: 'Win back blue',
        zone: 'blue',
        status: 'active',
        treated: { members: 0, retained: 0, rate: null },
        holdout: { members: 0, retained: 0, rate: null },
        liftPoints: null,
        liftInterval: null,
        openWindows: 0,
      },
    ]);
  });

  it('compares with the snapshot of exactly 30 days before, and adds only the changes after it', () => {
    const onTheDay = snapshot('2026-05-31', { zones: { green: 1 }, transitions: { 'none>green': 1 } });
    const report = retentionReport([snapshots[1] as ZoneSnapshot, onTheDay, ...snapshots.slice(2)], rules);
    expect(report.previous).toEqual({ date: '2026-05-31', zones: { green: 1 } });
    expect(report.transitions['none>green']).toBe(3);
  });

  it('has no earlier picture when the first snapshot is less than 30 days old', () => {
    const report = retentionReport(snapshots.slice(2), rules);
    expect(report.previous).toBeNull();
    expect(report.transitions).toEqual({ 'none>green': 3, 'green>blue': 3, 'blue>red': 3, 'red>green': 1 });
  });

  it('gives no lift without a holdout, and no rate without a closed window', () => {
    const latest = snapshot('2026-06-30', {
      cohorts: { R1: cohort({ treated: 8, treatedRetained: 2, open: 4 }) },
    });
    const [r1] = retentionReport([latest], rules).rules;
    expect(r1).toMatchObject({
      treated: { members: 8, retained: 2, rate: 25 },
      holdout: { members: 0, retained: 0, rate: null },
      liftPoints: null,
      liftInterval: null,
      openWindows: 4,
    });
  });

  it('shows a lift below zero when held-out members came back more often', () => {
    // 1 / 4 = 25% treated against 3 / 4 = 75% held out: −50 points.
    const latest = snapshot('2026-06-30', {
      cohorts: { R1: cohort({ treated: 4, treatedRetained: 1, holdout: 4, holdoutRetained: 3 }) },
    });
    expect(retentionReport([latest], rules).rules[0]?.liftPoints).toBe(-50);
  });

  it('is empty before the first scoring run, and still lists the rules', () => {
    const report = retentionReport([], rules);
    expect(report).toMatchObject({ latest: null, previous: null, transitions: {}, entered: {} });
    expect(report.rules.map((r) => [r.ruleId, r.treated.members, r.liftPoints])).toEqual([
      ['R1', 0, null],
      ['R2', 0, null],
      ['R3', 0, null],
    ]);
  });

  it('does not count a member staying in a zone as entering it', () => {
    const latest = snapshot('2026-06-30', { transitions: { 'red>red': 5, 'white>red': 2 } });
    expect(retentionReport([latest], rules).entered).toEqual({ red: 2 });
  });
});
