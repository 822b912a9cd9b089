import { cardRefusal } from '../domain/count-cards';
import { soonestExpiring } from '../domain/ledger';
import { anniversaryOn, birthdayKeysOn, type Festival, specialDaysOn } from '../domain/occasions';
import { windowDecision } from '../domain/send-window';
import { memberTemplateValues, renderTemplate } from '../domain/templates';
import { addDays, dateIn } from '../domain/time';
import type { Audience, CareSettings, Occasion } from '../schemas/care';
import type { Member } from '../schemas/member';
import type { Merchant } from '../schemas/merchant';
import type { OutboundSms } from '../schemas/sms';
import type { BenefitsStore } from '../store/benefits';
import type { CareStore } from '../store/care';
import type { CountCardsStore } from '../store/count-cards';
import type { JobsStore } from '../store/jobs';
import type { LedgerStore } from '../store/ledger';
import type { MembersStore } from '../store/members';
import type { TiersStore } from '../store/tiers';

export interface CareDeps {
  care: CareStore;
  members: MembersStore;
  ledger: Pick<LedgerStore, 'lots' | 'expiringBetween'>;
  tiers: Pick<TiersStore, 'packagesEnding'>;
  benefits: Pick<BenefitsStore, 'get'>;
  countCards: Pick<CountCardsStore, 'expiringOn' | 'card'>;
  jobs: JobsStore;
}

export interface CareText extends OutboundSms {
  occasion: Occasion;
}

/** One occasion's texts for a date, a page at a time (member walks are checkpointed by page). */
interface OccasionRun {
  occasion: Occasion;
  page(cursor?: string): Promise<{ texts: CareText[]; cursor?: string }>;
}

const pageSize = 100;

/**
 * The care texts due on `date` (the merchant's local date). Each text's id is
 * `care:<occasion>:<date>:<member>`: the send-once key of send-sms, so a schedule that fires
 * twice, a retried Lambda or two overlapping runs still give each member one text per occasion
 * per date.
 */
export function occasionRuns(
  merchant: Merchant,
  settings: CareSettings,
  date: string,
  now: Date,
  deps: CareDeps,
  festivals: readonly Festival[],
): OccasionRun[] {
  const tierName = (code?: string) => merchant.loyalty.tiers.find((tier) => tier.code === code)?.name ?? '';
  const valuesOf = (member: Member) => memberTemplateValues(member, merchant, date);
  const text = (
    occasion: Occasion,
    member: Pick<Member, 'memberId' | 'phone'>,
    body: string,
    kind: 'marketing' | 'service',
  ): CareText => ({
    occasion,
    messageId: `care:${occasion}:${date}:${member.memberId}`,
    merchantId: merchant.merchantId,
    to: member.phone,
    body,
    category: kind,
    ...(kind === 'service' && !settings.serviceToOptedOut ? { respectOptOut: true } : {}),
  });
  const once = (occasion: Occasion, texts: () => Promise<CareText[]>): OccasionRun => ({
    occasion,
    page: async () => ({ texts: await texts() }),
  });
  /** Every current member in the audience, a page at a time through the merchant's list index. */
  const walk = (
    occasion: Occasion,
    audience: Audience | undefined,
    body: (m: Member) => string,
  ): OccasionRun => ({
    occasion,
    async page(cursor) {
      const page = await deps.members.list(merchant.merchantId, { limit: pageSize, cursor });
      const texts = page.members
        .filter((member) => inAudience(member, audience))
        .map((member) => text(occasion, member, body(member), 'marketing'));
      return { texts, ...(page.cursor ? { cursor: page.cursor } : {}) };
    },
  });

  const runs: OccasionRun[] = [];
  const { birthday, anniversary } = settings;
  if (birthday?.enabled) {
    runs.push(
      once('birthday', async () => {
        const benefit =
          birthday.benefitCode && (await deps.benefits.get(merchant.merchantId, birthday.benefitCode));
        const members = await deps.care.birthdays(merchant.merchantId, birthdayKeysOn(date));
        return members.map((m) =>
          text(
            'birthday',
            m,
            renderTemplate(birthday.template, { ...valuesOf(m), benefit: benefit ? benefit.name : '' }),
            'marketing',
          ),
        );
      }),
    );
    const followUp = birthday.followUpTemplate;
    if (birthday.benefitCode && followUp) {
      // The operator's birthday free day: notice on the day, the details the day after.
      runs.push(
        once('birthday-follow-up', async () => {
          const benefit = await deps.benefits.get(merchant.merchantId, birthday.benefitCode as string);
          const members = await deps.care.birthdays(merchant.merchantId, birthdayKeysOn(addDays(date, -1)));
          return members.map((m) =>
            text(
              'birthday-follow-up',
              m,
              renderTemplate(followUp, { ...valuesOf(m), benefit: benefit?.name ?? '' }),
              'marketing',
            ),
          );
        }),
      );
    }
  }
  if (anniversary?.enabled) {
    runs.push(
      once('anniversary', async () => {
        // The index holds the UTC join day; the merchant's local day may be one either side.
        const days = [addDays(date, -1), date, addDays(date, 1)].map((day) => day.slice(5));
        const found = (
          await Promise.all(days.map((day) => deps.care.joinedOn(merchant.merchantId, day)))
        ).flat();
        return found.flatMap((m) => {
          const years = anniversaryOn(dateIn(merchant.timeZone, new Date(m.joinedAt)), date);
          return years
            ? [
                text(
                  'anniversary',
                  m,
                  renderTemplate(anniversary.template, { ...valuesOf(m), years }),
                  'marketing',
                ),
              ]
            : [];
        });
      }),
    );
  }
  for (const festival of festivals) {
    const setting = settings.festivals.find((f) => f.code === festival.code);
    if (!setting) continue;
    const name = /\p{Script=Han}/u.test(setting.template) ? festival.name.zh : festival.name.en;
    runs.push(
      walk(`festival:${festival.code}`, setting.audience, (m) =>
        renderTemplate(setting.template, { ...valuesOf(m), festival: name }),
      ),
    );
  }
  for (const day of specialDaysOn(settings.specialDays, date)) {
    const setting = settings.specialDays.find((d) => d.code === day.code);
    if (!setting) continue;
    runs.push(
      walk(`special:${day.code}`, setting.audience, (m) => renderTemplate(setting.template, valuesOf(m))),
    );
  }
  const { pointsExpiring, packageEnding, lowBalance, countCardExpiring } = settings;
  if (lowBalance?.enabled) {
    runs.push(
      once('low-balance', async () => {
        const members = await deps.care.lowBalances(merchant.merchantId, lowBalance.thresholdCents);
        return members.map((member) => {
          const reminder = text(
            'low-balance',
            member,
            renderTemplate(lowBalance.template, valuesOf(member)),
            'service',
          );
          // Once per balance change that left it low, not every day it stays low.
          return { ...reminder, messageId: `care:low-balance:${member.storedValueAt}:${member.memberId}` };
        });
      }),
    );
  }
  if (pointsExpiring?.enabled) {
    runs.push(
      once('points-expiring', async () => {
        const through = addDays(date, pointsExpiring.days);
        const texts: CareText[] = [];
        let cursor: string | undefined;
        do {
          const page = await deps.ledger.expiringBetween(
            merchant.merchantId,
            date,
            through,
            pageSize,
            cursor,
          );
          for (const ref of page.members) {
            const { member } = await deps.members.contact(merchant.merchantId, ref.phone);
            if (!member || member.deletedAt) continue;
            const lots = await deps.ledger.lots(merchant.merchantId, member.memberId);
            const soonest = soonestExpiring(lots, member.pointsConsumed, date);
            if (!soonest || soonest.expiresOn > through) continue;
            const values = {
              ...valuesOf(member),
              expiring_points: soonest.points,
              expiry_date: soonest.expiresOn,
            };
            // Once per lot: the reminder's date is the expiry date, not the day it was sent.
            const reminder = text(
              'points-expiring',
              member,
              renderTemplate(pointsExpiring.template, values),
              'service',
            );
            texts.push({
              ...reminder,
              messageId: `care:points-expiring:${soonest.expiresOn}:${member.memberId}`,
            });
          }
          cursor = page.cursor;
        } while (cursor);
        return texts;
      }),
    );
  }
  if (packageEnding?.enabled) {
    runs.push(
      once('package-ending', async () => {
        const until = new Date(now.getTime() + packageEnding.days * 86_400_000).toISOString();
        const refs = await deps.tiers.packagesEnding(merchant.merchantId, now.toISOString(), until);
        const texts: CareText[] = [];
        for (const ref of refs) {
          const { member } = await deps.members.contact(merchant.merchantId, ref.phone);
          if (!member?.tierPackage || member.deletedAt) continue;
          const endsOn = dateIn(merchant.timeZone, new Date(member.tierPackage.endsAt));
          const values = {
            ...valuesOf(member),
            tier: tierName(member.tierPackage.tier),
            expiry_date: endsOn,
          };
          const reminder = text(
            'package-ending',
            member,
            renderTemplate(packageEnding.template, values),
            'service',
          );
          texts.push({
            ...reminder,
            messageId: `care:package-ending:${member.tierPackage.endsAt}:${member.memberId}`,
          });
        }
        return texts;
      }),
    );
  }
  if (countCardExpiring?.enabled) {
    runs.push(
      once('count-card-expiring', async () => {
        const texts: CareText[] = [];
        // Every card expiring from today through `days` ahead: a card sold with less time left than
        // that is reminded too. Once per card, whatever day it is sent on.
        for (let ahead = 0; ahead <= countCardExpiring.days; ahead++) {
          for (const ref of await deps.countCards.expiringOn(merchant.merchantId, addDays(date, ahead))) {
            const card = await deps.countCards.card(merchant.merchantId, ref.memberId, ref.cardId);
            if (!card || cardRefusal(card, date)) continue;
            const member = await deps.members.byMemberId(merchant.merchantId, ref.memberId);
            if (!member || member.deletedAt) continue;
            const values = {
              ...valuesOf(member),
              card: card.name,
              uses_left: card.usesLeft,
              expiry_date: card.expiresOn,
            };
            const reminder = text(
              'count-card-expiring',
              member,
              renderTemplate(countCardExpiring.template, values),
              'service',
            );
            texts.push({ ...reminder, messageId: `care:count-card-expiring:${card.cardId}` });
          }
        }
        return texts;
      }),
    );
  }
  return runs;
}

function inAudience(member: Member, audience?: Audience): boolean {
  if (!audience) return true;
  if (audience.tiers && !audience.tiers.includes(member.tier ?? '')) return false;
  if (audience.tags && !audience.tags.some((tag) => member.tags.includes(tag))) return false;
  return true;
}

export type CareSink = (texts: CareText[]) => Promise<void>;

/**
 * The festivals on `date`, for a merchant who greets any. The lunar calendar behind them is a large
 * module, loaded on first use: a cold start of a merchant without festival greetings skips it.
 */
async function festivalsToGreet(settings: CareSettings, date: string): Promise<Festival[]> {
  if (settings.festivals.length === 0) return [];
  const { festivalsOn } = await import('../domain/festival-dates');
  return festivalsOn(date);
}

/**
 * Runs a merchant's care for the instant `now`: only inside its send window (outside, nothing is
 * done and the next run after the window opens does it); today's occasions, and whatever a
 * closing window cut short yesterday. Progress is checkpointed per occasion and date.
 */
export async function runCare(
  merchant: Merchant,
  now: Date,
  deadline: number,
  send: CareSink,
  deps: CareDeps,
) {
  const settings = await deps.care.settings(merchant.merchantId);
  if (!settings || !windowDecision(now, merchant.timeZone, settings.sendWindow).send) return;
  const today = dateIn(merchant.timeZone, now);
  for (const date of [addDays(today, -1), today]) {
    const festivals = await festivalsToGreet(settings, date);
    for (const run of occasionRuns(merchant, settings, date, now, deps, festivals)) {
      const job = `care:${run.occasion}`;
      let state = await deps.jobs.state(merchant.merchantId, job, date);
      // Yesterday's occasions are only finished here, never started a day late.
      if (state?.status === 'done' || (date !== today && !state)) continue;
      state ??= { status: 'running', processed: 0, updatedAt: now.toISOString() };
      while (state.status === 'running' && Date.now() < deadline) {
        const page = await run.page(state.cursor);
        await send(page.texts);
        state = {
          status: page.cursor ? 'running' : 'done',
          ...(page.cursor ? { cursor: page.cursor } : {}),
          processed: state.processed + page.texts.length,
          updatedAt: new Date().toISOString(),
        };
        await deps.jobs.save(merchant.merchantId, job, date, state);
      }
    }
  }
}

/** Every text `date` would bring, without sending or recording anything: the dry run. */
export async function previewCare(
  merchant: Merchant,
  settings: CareSettings,
  date: string,
  now: Date,
  deps: CareDeps,
) {
  const texts: CareText[] = [];
  const festivals = await festivalsToGreet(settings, date);
  for (const run of occasionRuns(merchant, settings, date, now, deps, festivals)) {
    let cursor: string | undefined;
    do {
      const page = await run.page(cursor);
      texts.push(...page.texts);
      cursor = page.cursor;
    } while (cursor);
  }
  return texts;
}
