import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateIn } from '../../shared/domain/time';
import { type Body, type Local, seedLapsedMember, startLocal } from './support';

/**
 * Retention through the local runtime: the nightly scoring (fired as its schedule would) puts a lapsed
 * member in red, the red rule texts them and grants points once, and neither a second firing the same
 * day nor a scoring run asked for the next day acts on them again.
 */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

/** A fixed-offset zone where it is noon now: the texts go out inside the default send window. */
function zoneAtNoon(now: Date): string {
  const offset = 12 - now.getUTCHours();
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

describe('retention settings and rules through the API', () => {
  it('saves settings, and refuses duplicate rule ids, falling thresholds and unknown facts by field', async () => {
    const { key } = await local.newShop();
    const call = (method: string, path: string, body?: unknown) => local.call(method, path, key, body);
    const defaults = (await call('GET', '/v1/retention/settings')).body.retention;
    expect(defaults).toMatchObject({ zones: { blue: 2, yellow: 4, red: 7 }, scoringHour: 3 });

    const rule = {
      id: 'no-visit-45d',
      group: 'inactivity',
      label: 'No visit in 45 days',
      when: [{ fact: 'daysSinceLastActivity', op: 'gte', value: 45 }],
      score: 4,
    };
    const saved = await call('PUT', '/v1/retention/settings', { churnRules: [rule], scoringHour: 2 });
    expect(saved).toMatchObject({ status: 200, body: { retention: { churnRules: [rule], scoringHour: 2 } } });
    expect((await call('GET', '/v1/retention/settings')).body.retention).toEqual(saved.body.retention);

    const refused = await call('PUT', '/v1/retention/settings', {
      churnRules: [rule, { ...rule, when: [{ fact: 'visits', op: 'gte', value: 1 }] }],
      zones: { blue: 5, yellow: 4, red: 9 },
      colour: 'red',
    });
    expect(refused.status).toBe(400);
    const issues = refused.body.error.issues as { path: string; message: string }[];
    expect(issues.map((issue) => issue.path).sort()).toEqual(['(body)', 'churnRules.1.when.0.fact', 'zones']);
    const duplicate = await call('PUT', '/v1/retention/settings', { churnRules: [rule, rule] });
    expect(duplicate.body.error.issues).toEqual([
      { path: 'churnRules.1.id', message: 'no-visit-45d is also the id of rule 0; ids must be unique' },
    ]);
    expect(issues.find((issue) => issue.path === 'zones')?.message).toMatch(/blue < yellow < red/);
    expect((await call('GET', '/v1/retention/settings')).body.retention).toEqual(saved.body.retention);
  });

  it('creates rules only with a template of the merchant’s, stops them idempotently, and finds no other’s', async () => {
    const { key } = await local.newShop();
    const call = (method: string, path: string, body?: unknown) => local.call(method, path, key, body);
    const noTemplate = await call('POST', '/v1/retention/rules', {
      name: '唤回',
      zone: 'red',
      templateId: 'gone',
    });
    expect(noTemplate).toMatchObject({
      status: 400,
      body: { error: { issues: [{ path: 'templateId', message: 'you have no template with this id' }] } },
    });
    const template = await call('POST', '/v1/templates', {
      name: '唤回',
      body: '好久不见',
      category: 'marketing',
    });
    const { templateId } = template.body.template;
    const noBenefit = await call('POST', '/v1/retention/rules', {
      name: '唤回',
      zone: 'yellow',
      templateId,
      grant: { kind: 'benefit', code: 'NOPE' },
    });
    expect(noBenefit.body.error.issues).toEqual([
      { path: 'grant.code', message: 'you have no benefit NOPE' },
    ]);
    const gift = { code: 'BUYUMB', name: '雨伞', tiers: [], pricePoints: 300, limit: 'once' };
    expect((await call('POST', '/v1/benefits', gift)).status).toBe(200);
    const priced = await call('POST', '/v1/retention/rules', {
      name: '唤回',
      zone: 'yellow',
      templateId,
      grant: { kind: 'benefit', code: 'BUYUMB' },
    });
    expect(priced.body.error.issues).toEqual([
      { path: 'grant.code', message: 'the benefit BUYUMB is priced in points: a retention gift is free' },
    ]);
    const white = await call('POST', '/v1/retention/rules', { name: '唤回', zone: 'white', templateId });
    expect(white.body.error.issues[0].path).toBe('zone');

    const created = await call('POST', '/v1/retention/rules', { name: '唤回', zone: 'yellow', templateId });
    expect(created.status).toBe(201);
    const path = `/v1/retention/rules/${created.body.rule.ruleId}`;
    expect((await call('GET', path)).body.rule).toEqual(created.body.rule);
    const stopped = await call('DELETE', path);
    expect(stopped).toMatchObject({ status: 200, body: { rule: { status: 'stopped' } } });
    expect(await call('DELETE', path)).toEqual(stopped);
    // Stopped, the rule no longer blocks a new one for the same zone and template.
    expect(
      (await call('POST', '/v1/retention/rules', { name: '唤回2', zone: 'yellow', templateId })).status,
    ).toBe(201);
    expect((await call('GET', '/v1/retention/rules')).body.rules.map((r: Body) => r.status)).toEqual([
      'active',
      'stopped',
    ]);

    const other = await local.newShop();
    expect((await local.call('GET', path, other.key)).status).toBe(404);
    expect((await local.call('DELETE', path, other.key)).status).toBe(404);
    expect((await call('GET', '/v1/retention/rules/not-a-rule')).body.error.code).toBe('rule_not_found');
    expect((await call('GET', '/v1/retention/runs?limit=0')).status).toBe(400);
    expect((await call('GET', '/v1/retention/report')).body.report).toMatchObject({
      latest: null,
      previous: null,
    });
  });
});

describe('retention', () => {
  it('texts a member entering red and grants points once, whatever runs after', async () => {
    const now = new Date();
    const timeZone = zoneAtNoon(now);
    const { merchant, key } = await local.newShop({ name: '花店', signature: '【花店】', timeZone });
    const { merchantId } = merchant;
    const call = (method: string, path: string, body?: unknown) => local.call(method, path, key, body);
    const fireScoring = (time?: Date) =>
      local.call(
        'POST',
        '/local/schedules/retention-jobs',
        undefined,
        time ? { time: time.toISOString() } : {},
      );

    const template = await call('POST', '/v1/templates', {
      name: '唤回',
      body: '{{name}}，好久不见！送您100积分，欢迎回来',
      category: 'marketing',
    });
    expect(template.status).toBe(201);
    const ruleBody = {
      name: '红区唤回',
      zone: 'red',
      templateId: template.body.template.templateId,
      grant: { kind: 'points', points: 100 },
      holdoutPercent: 0,
    };
    const rule = await call('POST', '/v1/retention/rules', ruleBody);
    expect(rule).toMatchObject({ status: 201, body: { rule: { status: 'active', coolDownDays: 30 } } });
    // Sent again (the answer lost): refused with the rule's id, not a second rule texting the same members.
    const again = await call('POST', '/v1/retention/rules', ruleBody);
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'rule_exists' } } });
    expect(again.body.error.message).toContain(rule.body.rule.ruleId);

    // 小林, lapsed: red on the default rules.
    const phone = `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await seedLapsedMember(local, { merchantId, memberId: `mem-${merchantId}`, phone, timeZone, now });

    // The nightly run of yesterday, at 04:00 on the merchant's clock (the scoring hour is 3).
    const lastNight = new Date(now.getTime() - 32 * 3_600_000);
    expect((await fireScoring(lastNight)).status).toBe(200);
    await local.eventsSettled();
    const [text] = await local.replies(phone, 1);
    expect(text).toBe(`【花店】小林，好久不见！送您100积分，欢迎回来 ${merchant.sending.unsubscribeLine}`);

    // An hour later the same night: that night's run is done, nothing runs again.
    expect((await fireScoring(new Date(lastNight.getTime() + 3_600_000))).status).toBe(200);
    await local.eventsSettled();

    // Today, a run asked for by the merchant; one at a time.
    const requested = await call('POST', '/v1/retention/runs');
    expect(requested).toMatchObject({ status: 202, body: { run: { status: 'requested', progress: 0 } } });
    const { runId } = requested.body.run;
    expect(runId).toMatch(/^manual-/);
    const twice = await call('POST', '/v1/retention/runs');
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'run_pending' } } });
    expect(twice.body.error.message).toContain(runId);
    expect((await fireScoring()).status).toBe(200);
    await local.eventsSettled();

    const runs = (await call('GET', '/v1/retention/runs')).body.runs as Body[];
    expect(runs.find((run) => run.runId === runId)).toMatchObject({
      status: 'done',
      progress: 100,
      scored: 1,
      zones: { red: 1 },
      transitions: {},
    });
    expect(runs.find((run) => run.runId === dateIn(timeZone, lastNight))).toMatchObject({
      trigger: 'nightly',
      transitions: { 'none>red': 1 },
    });

    // Once: one zone change, one text, one grant. A text queued late would show within the pause.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const changes = (await local.call('GET', '/local/events?detailType=churn.zone-changed')).body
      .events as Body[];
    expect(changes.filter((event) => event.detail.merchantId === merchantId)).toHaveLength(1);
    expect(await local.outbox(phone)).toHaveLength(1);
    const ledger = await call('GET', `/v1/members/${encodeURIComponent(phone)}/ledger?book=points`);
    expect(ledger.body.entries).toMatchObject([{ type: 'earn', delta: 100, reason: 'retention: 红区唤回' }]);

    const member = await call('GET', `/v1/members/${encodeURIComponent(phone)}`);
    expect(member.body.member).toMatchObject({ churnZone: 'red', points: 100, churn: { score: 10 } });

    const report = (await call('GET', '/v1/retention/report')).body.report;
    expect(report).toMatchObject({
      latest: { date: dateIn(timeZone, now), zones: { red: 1 } },
      previous: null,
      transitions: { 'none>red': 1 },
      entered: { red: 1 },
      rules: [
        {
          ruleId: rule.body.rule.ruleId,
          treated: { members: 0, rate: null },
          liftPoints: null,
          liftInterval: null,
          openWindows: 1,
        },
      ],
    });
  });
});
