import type { RedemptionChannel, RedemptionRefusal } from './coupons';
import type { Lang } from './keywords';
import { maskPhone } from './phone';
import type { MultipliedBy } from './points-multipliers';
import type { Role } from './staff';
import { type MalformedPart, mayUse, type StaffAction } from './staff-commands';

/**
 * The texts staff commands answer with, in the language of the command word (the pinyin ones are
 * Chinese). Short: a cashier reads them on a phone at the counter. Signed by the sender, not here.
 */

type Texts = Record<Lang, string>;

/** Cents as yuan, without a fraction when there is none: 88, 88.50. */
export function yuan(cents: number): string {
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}

/** What a top-up was given (充值赠送), as a reply names it. */
export interface GivenBonus {
  rule: string;
  bonusCents: number;
  bonusPoints: number;
}

/** `，赠送20元和50积分（充200送20）`; nothing when the top-up was given nothing. */
export function bonusText(lang: Lang, bonus: GivenBonus | undefined): string {
  if (!bonus) return '';
  const zh = [
    bonus.bonusCents > 0 ? `${yuan(bonus.bonusCents)}元` : '',
    bonus.bonusPoints > 0 ? `${bonus.bonusPoints}积分` : '',
  ];
  const en = [
    bonus.bonusCents > 0 ? `${yuan(bonus.bonusCents)} yuan` : '',
    bonus.bonusPoints > 0 ? `${bonus.bonusPoints} points` : '',
  ];
  return lang === 'zh'
    ? `，赠送${zh.filter(Boolean).join('和')}（${bonus.rule}）`
    : `, bonus ${en.filter(Boolean).join(' and ')} (${bonus.rule})`;
}

/** The bonus a top-up entry records, if it was given one. */
export function givenBonus(entry: { bonusRule?: string; bonusDelta?: number; bonusPoints?: number }) {
  return entry.bonusRule === undefined
    ? undefined
    : { rule: entry.bonusRule, bonusCents: entry.bonusDelta ?? 0, bonusPoints: entry.bonusPoints ?? 0 };
}

const usages: Record<StaffAction, Texts> = {
  earn: {
    zh: '格式：JF 手机号 消费金额（元），例如 JF 13800138000 88',
    en: 'Send EARN, the mobile number and the amount in yuan, e.g. EARN 13800138000 88',
  },
  redeem: {
    zh: '格式：HX 券码，例如 HX K7MW3QXR',
    en: 'Send REDEEM and the coupon code, e.g. REDEEM K7MW3QXR',
  },
  lookup: {
    zh: '格式：CX 手机号，例如 CX 13800138000',
    en: 'Send LOOKUP and the mobile number, e.g. LOOKUP 13800138000',
  },
  'top-up': {
    zh: '格式：CZ 手机号 充值金额（元），例如 CZ 13800138000 200',
    en: 'Send TOPUP, the mobile number and the amount in yuan, e.g. TOPUP 13800138000 200',
  },
  summary: { zh: '格式：RB（今日汇总，无需其他内容）', en: 'Send SUMMARY alone for today’s figures' },
  'use-card': {
    zh: '格式：CK 手机号 [序号或卡名]，例如 CK 13800138000 或 CK 13800138000 2',
    en: 'Send CARD, the mobile number and, if the member has several cards, its number or name, e.g. CARD 13800138000 2',
  },
};

const problems: Record<Exclude<MalformedPart, 'format'>, Texts> = {
  phone: { zh: '手机号有误。', en: 'That mobile number is not valid. ' },
  amount: {
    zh: '金额有误（大于0，最多两位小数）。',
    en: 'That amount is not valid (more than 0, at most two decimals). ',
  },
  code: {
    zh: '券码有误（8位字母数字，不含0、O、1、I、L）。',
    en: 'That is not a coupon code (8 letters and digits, no 0, O, 1, I or L). ',
  },
};

/** What each command does, as the help lists it. */
const helpLines: Record<StaffAction, Texts> = {
  earn: { zh: 'JF 手机号 金额（消费积分）', en: 'EARN phone amount' },
  redeem: { zh: 'HX 券码（核销）', en: 'REDEEM code' },
  lookup: { zh: 'CX 手机号（查会员）', en: 'LOOKUP phone' },
  'top-up': { zh: 'CZ 手机号 金额（充值）', en: 'TOPUP phone amount' },
  summary: { zh: 'RB（今日汇总）', en: 'SUMMARY (today)' },
  'use-card': { zh: 'CK 手机号（次卡扣次）', en: 'CARD phone (use a count card)' },
};

const roleNames: Record<Role, Texts> = {
  owner: { zh: '店主', en: 'owner' },
  marketing: { zh: '营销', en: 'marketing' },
  cashier: { zh: '收银员', en: 'cashier' },
};

const channelNames: Record<RedemptionChannel, Texts> = {
  sms: { zh: '短信', en: 'by text' },
  console: { zh: '后台', en: 'in the console' },
  'merchant-api': { zh: '接口', en: 'through the API' },
};

/** A member as a reply names them: the name when there is one, and the phone masked. */
export function memberLabel(member: { name?: string; phone: string }): string {
  const phone = maskPhone(member.phone);
  return member.name ? `${member.name}（${phone}）` : phone;
}

export interface DaySummary {
  date: string;
  joins: number;
  pointsEarned: number;
  pointsRedeemed: number;
  couponsRedeemed: number;
  texts: number;
}

export const staffReplies = {
  usage: (lang: Lang, command: StaffAction, problem: MalformedPart) =>
    `${problem === 'format' ? '' : problems[problem][lang]}${usages[command][lang]}`,

  /** Every command the role may use, then where the customer's keywords are. */
  help: (lang: Lang, role: Role, merchantName: string) => {
    const allowed = (Object.keys(helpLines) as StaffAction[]).filter((command) => mayUse(role, command));
    return lang === 'zh'
      ? `${merchantName}店员指令（${roleNames[role].zh}）：${allowed.map((c) => helpLines[c].zh).join('；')}。发"积分"查自己的积分。`
      : `${merchantName} staff commands (${roleNames[role].en}): ${allowed.map((c) => helpLines[c].en).join('; ')}. Text POINTS for your own points.`;
  },

  removed: (lang: Lang, merchantName: string) =>
    ({
      zh: `您已不是${merchantName}的店员，店员指令不再可用。`,
      en: `You are no longer on the staff of ${merchantName}; staff commands are not available.`,
    })[lang],

  roleMayNot: (lang: Lang, role: Role, command: StaffAction) =>
    ({
      zh: `您的角色（${roleNames[role].zh}）不能使用"${helpLines[command].zh}"，请联系店主。`,
      en: `Your role (${roleNames[role].en}) may not use ${helpLines[command].en}; ask the owner.`,
    })[lang],

  notMember: (lang: Lang, phone: string) =>
    ({ zh: `${maskPhone(phone)}还不是会员。`, en: `${maskPhone(phone)} is not a member.` })[lang],

  /** The staff member's store is closed (or gone): nothing can be recorded there. */
  storeClosed: (lang: Lang, store: string) =>
    ({
      zh: `你所属的门店${store}已关闭，不能记录。请店长为你更换门店。`,
      en: `Your store ${store} is closed; nothing was recorded. Ask an owner to move you to another store.`,
    })[lang],

  tooSmall: (lang: Lang) =>
    ({
      zh: '消费金额不足1积分，未记分。',
      en: 'That purchase is too small to earn a point; nothing was recorded.',
    })[lang],

  earned: (lang: Lang, who: string, points: number, balance: number, rule?: MultipliedBy) =>
    ({
      zh: `已为${who}记${points}积分${rule ? `（${rule.name} ×${rule.multiplier}）` : ''}，积分余额${balance}。`,
      en: `${points} points earned for ${who}${rule ? ` (${rule.name} ×${rule.multiplier})` : ''}; balance ${balance}.`,
    })[lang],

  toppedUp: (lang: Lang, who: string, cents: number, balanceCents: number, bonus?: GivenBonus) =>
    ({
      zh: `已为${who}充值${yuan(cents)}元${bonusText('zh', bonus)}，储值余额${yuan(balanceCents)}元。`,
      en: `Topped up ${yuan(cents)} yuan for ${who}${bonusText('en', bonus)}; stored value ${yuan(balanceCents)} yuan.`,
    })[lang],

  redeemed: (lang: Lang, benefit: string, couponCode: string, who: string) =>
    ({
      zh: `已核销「${benefit}」，券码${couponCode}，会员${who}。`,
      en: `Redeemed "${benefit}" (${couponCode}) for ${who}.`,
    })[lang],

  /**
   * Why a coupon was not redeemed. `used` says when (the merchant's time), by whom and how, so the
   * cashier can tell the customer; `expired` says since when.
   */
  notRedeemed: (
    lang: Lang,
    reason: RedemptionRefusal,
    couponCode: string,
    detail: { at?: string; by?: string; channel?: RedemptionChannel } = {},
  ) => {
    const texts: Record<RedemptionRefusal, Texts> = {
      unknown: {
        zh: `券码${couponCode}不是本店的券，请核对后重发。`,
        en: `${couponCode} is not a coupon of this shop; check the code and send it again.`,
      },
      used: {
        zh: `券码${couponCode}已于${detail.at}由${detail.by}${detail.channel ? `（${channelNames[detail.channel].zh}）` : ''}核销，不能再用。`,
        en: `${couponCode} was already used at ${detail.at} by ${detail.by}${detail.channel ? ` ${channelNames[detail.channel].en}` : ''}.`,
      },
      expired: {
        zh: `券码${couponCode}已于${detail.at}过期，不能使用。`,
        en: `${couponCode} expired at ${detail.at} and cannot be used.`,
      },
    };
    return texts[reason][lang];
  },

  tooManyFailures: (lang: Lang, minutes: number) =>
    ({
      zh: `核销失败次数过多，请${minutes}分钟后再试。`,
      en: `Too many failed redemptions from this phone; try again in ${minutes} minutes.`,
    })[lang],

  /** A member at a glance: name, tier, points, stored value and the coupons they can use now. */
  lookup: (
    lang: Lang,
    member: { name?: string; phone: string; tier?: string; points: number; storedValue: number },
    coupons: readonly { name: string; couponCode: string; until?: string }[],
  ) => {
    const who = memberLabel(member);
    const couponText = (c: (typeof coupons)[number]) =>
      lang === 'zh'
        ? `${c.name} ${c.couponCode}${c.until ? ` 至${c.until}` : ''}`
        : `${c.name} ${c.couponCode}${c.until ? ` until ${c.until}` : ''}`;
    return lang === 'zh'
      ? `${who}${member.tier ? ` ${member.tier}` : ''}：积分${member.points}，储值${yuan(member.storedValue)}元；${coupons.length > 0 ? `可用券：${coupons.map(couponText).join('，')}` : '无可用券'}。`
      : `${who}${member.tier ? `, ${member.tier}` : ''}: ${member.points} points, ${yuan(member.storedValue)} yuan stored; ${coupons.length > 0 ? `coupons: ${coupons.map(couponText).join(', ')}` : 'no coupons'}.`;
  },

  summary: (lang: Lang, day: DaySummary) =>
    ({
      zh: `今日（${day.date}）：新会员${day.joins}，积分发放${day.pointsEarned}、兑换${day.pointsRedeemed}，核销券${day.couponsRedeemed}张，发送短信${day.texts}条。`,
      en: `Today (${day.date}): ${day.joins} joined, ${day.pointsEarned} points earned, ${day.pointsRedeemed} redeemed, ${day.couponsRedeemed} coupons used, ${day.texts} texts sent.`,
    })[lang],
};

/** Who redeemed a coupon, as a reply names them: the member of staff, or the API key by its id. */
export function redeemerLabel(lang: Lang, by: { kind: 'staff' | 'api-key'; id: string; name?: string }) {
  if (by.kind === 'staff') return by.name ?? (lang === 'zh' ? '店员' : 'staff');
  return lang === 'zh' ? `接口密钥${by.id.slice(-4)}` : `API key …${by.id.slice(-4)}`;
}
