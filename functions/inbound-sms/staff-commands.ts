import { failedRedemptionLimit, minutesLeftInWindow } from '../../shared/domain/coupons';
import { dayFigures } from '../../shared/domain/daily-stats';
import { expiryDate, type Posting } from '../../shared/domain/ledger';
import { multipliedBy, multipliedFields, purchaseEarning } from '../../shared/domain/points-multipliers';
import { replies } from '../../shared/domain/replies';
import type { Staff } from '../../shared/domain/staff';
import {
  mayUse,
  readStaffCommand,
  type StaffCommand,
  type StaffCommandName,
} from '../../shared/domain/staff-commands';
import {
  givenBonus,
  memberLabel,
  redeemerLabel,
  staffReplies,
  yuan,
} from '../../shared/domain/staff-replies';
import { attributedStore } from '../../shared/domain/stores';
import { dateIn, minuteIn } from '../../shared/domain/time';
import { count, metricNames } from '../../shared/metrics';
import type { Member } from '../../shared/schemas/member';
import type { AuditStore } from '../../shared/store/audit';
import type { BenefitsStore } from '../../shared/store/benefits';
import type { DailyStatsStore } from '../../shared/store/daily-stats';
import type { LedgerStore } from '../../shared/store/ledger';
import type { MembersStore } from '../../shared/store/members';
import type { RedemptionFailures } from '../../shared/store/redemption-failures';
import type { StaffStore } from '../../shared/store/staff';
import { activeCoupons } from '../../shared/use-cases/claim-benefit';
import { type PostDeps, postToLedger } from '../../shared/use-cases/post-to-ledger';
import { type RedeemDeps, redeemCoupon } from '../../shared/use-cases/redeem-coupon';
import { topUpPostings } from '../../shared/use-cases/top-up';
import { type CardCommandDeps, deductCardUse } from './count-card-command';
import type { Inbound } from './inbound';

export interface StaffInboundDeps extends RedeemDeps, PostDeps, CardCommandDeps {
  staff: Pick<StaffStore, 'byPhone' | 'formerByPhone'>;
  members: Pick<MembersStore, 'contact'>;
  ledger: Pick<LedgerStore, 'post'>;
  benefits: Pick<BenefitsStore, 'redeem' | 'get' | 'list' | 'claims'>;
  audit: Pick<AuditStore, 'record'>;
  dailyStats: Pick<DailyStatsStore, 'days'>;
  redemptionFailures: RedemptionFailures;
}

type Text = Omit<Inbound, 'reply'>;

/** How a command ended, as the audit log keeps it: HTTP's words, as for the API's changes. */
interface Answer {
  reply: string;
  status: 200 | 201 | 400 | 403 | 404 | 409 | 429;
  ids?: Record<string, string>;
}

/** The command word the audit log names each command by (`SMS JF`), a malformed one too. */
export const auditWords: Record<StaffCommandName, string> = {
  earn: 'JF',
  redeem: 'HX',
  lookup: 'CX',
  'top-up': 'CZ',
  summary: 'RB',
  'use-card': 'CK',
  help: 'HELP',
};

/**
 * A text that is a staff command from one of the merchant's active staff is done here and answered:
 * the reply for the staff phone, and the command in the audit log under the staff member. A command
 * word from a phone that was the merchant's staff and was removed is refused as theirs. Undefined
 * for anything else: it is read as a customer's text (staff may be members).
 */
export async function answerStaffCommand(
  text: Text,
  deps: StaffInboundDeps,
): Promise<{ reply: string } | undefined> {
  const { merchant, phone } = text;
  const command = readStaffCommand(text.text.messageBody, merchant.defaultCountry);
  if (!command) return undefined;
  const found = await deps.staff.byPhone(phone);
  const staff = found?.merchantId === merchant.merchantId ? found.staff : undefined;
  if (!staff) {
    if (command.kind === 'help') return undefined;
    const former = await deps.staff.formerByPhone(merchant.merchantId, phone);
    if (!former) return undefined;
    const answer: Answer = { reply: staffReplies.removed(command.lang, merchant.name), status: 403 };
    await audit(text, former, command, answer, deps);
    count(metricNames.staffCommands, { command: command.kind, status: String(answer.status) });
    return answer;
  }
  const answer = await act(command, staff, text, deps);
  await audit(text, staff, command, answer, deps);
  count(metricNames.staffCommands, { command: command.kind, status: String(answer.status) });
  return answer;
}

async function act(command: StaffCommand, staff: Staff, text: Text, deps: StaffInboundDeps): Promise<Answer> {
  const { lang } = command;
  switch (command.kind) {
    case 'help':
      return { reply: staffReplies.help(lang, staff.role, text.merchant.name), status: 200 };
    case 'malformed':
      return { reply: staffReplies.usage(lang, command.command, command.problem), status: 400 };
  }
  if (!mayUse(staff.role, command.kind))
    return { reply: staffReplies.roleMayNot(lang, staff.role, command.kind), status: 403 };
  // What staff of one store do records their store (门店): a closed one records nothing.
  const store = attributedStore(text.merchant.stores, staff.storeId, undefined);
  if ('refused' in store && command.kind !== 'lookup' && command.kind !== 'summary') {
    const name = text.merchant.stores[store.storeId]?.name ?? store.storeId;
    return { reply: staffReplies.storeClosed(lang, name), status: 409 };
  }
  switch (command.kind) {
    case 'earn':
    case 'top-up':
      return post(command, staff, text, deps);
    case 'redeem':
      return redeem(command, staff, text, deps);
    case 'lookup':
      return lookup(command, text, deps);
    case 'use-card': {
      const member = await currentMember(text, command.phone, deps);
      if (!member)
        return {
          reply: staffReplies.notMember(lang, command.phone),
          status: 404,
          ids: { phone: command.phone },
        };
      const { merchant, now } = text;
      return deductCardUse(
        command,
        staff,
        { merchant, member, now, inboundMessageId: text.text.inboundMessageId },
        deps,
      );
    }
    case 'summary': {
      const today = dateIn(text.merchant.timeZone, text.now);
      const counts = (await deps.dailyStats.days(text.merchant.merchantId, today, today)).get(today);
      return { reply: staffReplies.summary(lang, dayFigures(today, counts)), status: 200 };
    }
  }
}

async function currentMember(text: Text, phone: string, deps: StaffInboundDeps) {
  const { member } = await deps.members.contact(text.merchant.merchantId, phone);
  return member?.deletedAt ? undefined : member;
}

/** Earns points for a purchase, or tops up stored value, once per inbound text. */
async function post(
  command: Extract<StaffCommand, { kind: 'earn' | 'top-up' }>,
  staff: Staff,
  text: Text,
  deps: StaffInboundDeps,
): Promise<Answer> {
  const { merchant, now } = text;
  const { lang, phone, cents } = command;
  const member = await currentMember(text, phone, deps);
  if (!member) return { reply: staffReplies.notMember(lang, phone), status: 404, ids: { phone } };
  const today = dateIn(merchant.timeZone, now);
  const reason = `短信指令 ${staff.name}`;
  let posting: Posting;
  let also: Posting[] | undefined;
  if (command.kind === 'earn') {
    const earning = purchaseEarning(cents, merchant.loyalty, {
      today,
      birthday: member.birthday,
      tier: member.tier,
      storeId: staff.storeId,
    });
    if (earning.points === 0) return { reply: staffReplies.tooSmall(lang), status: 400, ids: { phone } };
    const expiresOn = expiryDate(today, merchant.loyalty.expiry);
    posting = {
      book: 'points',
      type: 'earn',
      delta: earning.points,
      purchaseCents: cents,
      reason,
      ...multipliedFields(earning),
      ...(expiresOn ? { expiresOn } : {}),
    };
  } else {
    // With the bonus the merchant's rules give the amount today (充值赠送), in the same write.
    ({ posting, also } = topUpPostings({ merchant, cents, reason, today }));
  }
  // What staff of one store record is recorded at it (门店), a top-up's bonus points too.
  if (staff.storeId) {
    posting.storeId = staff.storeId;
    also = also?.map((bonus) => ({ ...bonus, storeId: staff.storeId }));
  }
  const outcome = await postToLedger(
    {
      merchantId: merchant.merchantId,
      member,
      posting,
      idempotencyKey: `sms:${text.text.inboundMessageId}`,
      at: now,
      year: today.slice(0, 4),
      ...(also ? { also } : {}),
    },
    deps,
  );
  if (outcome.status === 'no-member') return { reply: staffReplies.notMember(lang, phone), status: 404 };
  if (outcome.status !== 'applied' && outcome.status !== 'replayed')
    throw new Error(`a ${posting.type} by text was refused as ${outcome.status}`);
  const { entry, balances } = outcome;
  const ids = { phone, memberId: member.memberId, entryId: entry.entryId };
  const who = memberLabel(member);
  const notices = merchant.loyalty.memberNotices;
  const context = { lang: 'zh' as const, merchantName: merchant.name };
  if (command.kind === 'earn') {
    if (notices.earn)
      await notify(
        text,
        member,
        replies.earnNotice(context, yuan(cents), entry.delta, balances.points, multipliedBy(entry)),
        'earn',
        deps,
      );
    return {
      reply: staffReplies.earned(lang, who, entry.delta, balances.points, multipliedBy(entry)),
      status: 201,
      ids,
    };
  }
  if (notices.topUp)
    await notify(
      text,
      member,
      replies.topUpNotice(context, yuan(cents), yuan(balances.storedValue), givenBonus(entry)),
      'top-up',
      deps,
    );
  return {
    reply: staffReplies.toppedUp(lang, who, cents, balances.storedValue, givenBonus(entry)),
    status: 201,
    ids,
  };
}

/**
 * Redeems a coupon for the member who shows it. Failed attempts are counted per staff phone, and past
 * the limit the phone is refused until its window closes, whatever the code: codes cannot be guessed.
 */
async function redeem(
  command: Extract<StaffCommand, { kind: 'redeem' }>,
  staff: Staff,
  text: Text,
  deps: StaffInboundDeps,
): Promise<Answer> {
  const { merchant, phone, now } = text;
  const { lang, couponCode } = command;
  const failures = await deps.redemptionFailures.count(merchant.merchantId, phone, now);
  if (failures >= failedRedemptionLimit)
    return { reply: staffReplies.tooManyFailures(lang, minutesLeftInWindow(now)), status: 429 };
  const result = await redeemCoupon(
    {
      merchant,
      couponCode,
      by: {
        kind: 'staff',
        id: staff.staffId,
        name: staff.name,
        ...(staff.storeId ? { storeId: staff.storeId } : {}),
      },
      channel: 'sms',
      idempotencyKey: `sms:${text.text.inboundMessageId}`,
      now,
    },
    deps,
  );
  if (!result.ok) {
    await deps.redemptionFailures.record(merchant.merchantId, phone, text.text.inboundMessageId, now);
    const { coupon } = result;
    const at = (instant?: string) => instant && minuteIn(merchant.timeZone, new Date(instant));
    const detail =
      result.reason === 'used' && coupon?.usedBy
        ? { at: at(coupon.usedAt), by: redeemerLabel(lang, coupon.usedBy), channel: coupon.usedChannel }
        : { at: at(coupon?.validUntil) };
    return {
      reply: staffReplies.notRedeemed(lang, result.reason, couponCode, detail),
      status: result.reason === 'unknown' ? 404 : 409,
      ids: { couponCode },
    };
  }
  const { coupon, benefit } = result;
  const member = await currentMember(text, coupon.phone, deps);
  return {
    reply: staffReplies.redeemed(
      lang,
      benefit?.name ?? coupon.code,
      couponCode,
      memberLabel(member ?? coupon),
    ),
    status: 201,
    ids: { couponCode, memberId: coupon.memberId, code: coupon.code },
  };
}

/** The member at a glance, with the coupons they can use now. */
async function lookup(
  command: Extract<StaffCommand, { kind: 'lookup' }>,
  text: Text,
  deps: StaffInboundDeps,
): Promise<Answer> {
  const { merchant, now } = text;
  const { lang, phone } = command;
  const member = await currentMember(text, phone, deps);
  if (!member) return { reply: staffReplies.notMember(lang, phone), status: 404, ids: { phone } };
  const tier = merchant.loyalty.tiers.find((t) => t.code === member.tier)?.name ?? member.tier;
  return {
    reply: staffReplies.lookup(lang, { ...member, tier }, await activeCoupons(merchant, member, now, deps)),
    status: 200,
    ids: { phone, memberId: member.memberId },
  };
}

/** A service text to the member about what staff did, once per inbound text. */
async function notify(text: Text, member: Member, body: string, kind: string, deps: StaffInboundDeps) {
  await deps.outbound.enqueue({
    messageId: `notice:${text.text.inboundMessageId}`,
    merchantId: text.merchant.merchantId,
    to: member.phone,
    body,
    category: 'service',
    template: `notice:${kind}`,
  });
}

/** The command in the merchant's audit log, under the member of staff who texted it. */
async function audit(
  text: Text,
  staff: Staff,
  command: StaffCommand,
  answer: Answer,
  deps: StaffInboundDeps,
) {
  await deps.audit.record(text.merchant.merchantId, {
    at: text.now.toISOString(),
    requestId: text.text.inboundMessageId,
    actor: { kind: 'staff', id: staff.staffId, name: staff.name },
    role: staff.role,
    route: `SMS ${command.kind === 'malformed' ? auditWords[command.command] : auditWords[command.kind]}`,
    ids: answer.ids ?? {},
    status: answer.status,
  });
}
