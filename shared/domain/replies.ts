import type { Lang } from './keywords';
import { maxNameLength } from './keywords';
import type { MultipliedBy } from './points-multipliers';
import { countSegments } from './segments';
import { bonusText, type GivenBonus } from './staff-replies';

/**
 * The texts the keyword service answers with, in the language the customer wrote in. The
 * merchant's 【signature】 is added by the sender, not here.
 */
export interface ReplyContext {
  lang: Lang;
  merchantName: string;
}

type Texts = Record<Lang, string>;

const pick = ({ lang }: ReplyContext, texts: Texts) => texts[lang];

/** The parts the help reply may take, signed: the keyword list is worth a second part, not a third. */
export const maxHelpParts = 2;

const helpWords = {
  zh: {
    list: (optOut: string) =>
      `回复指令：注册 姓名 生日（入会）；积分；领取（可领权益）；领取 代码；兑换（积分兑换）；券（我的券）；反馈或建议 内容；投诉 内容；退订${optOut}（拒收营销短信）；订阅（接收）`,
    more: '；另有：',
    separator: '、',
    others: (n: number) => `等${n}个`,
    onlyOthers: (n: number) => `；另有本店指令${n}个`,
    end: '。',
  },
  en: {
    list: (optOut: string) =>
      `Reply JOIN name birthday, POINTS, CLAIM/EXCHANGE [code], COUPONS, FEEDBACK/投诉 text, STOP${optOut}/START`,
    more: '. Also: ',
    separator: ', ',
    others: (n: number) => ` and ${n} more`,
    onlyOthers: (n: number) => `. Also ${n} more keyword${n === 1 ? '' : 's'}`,
    end: '.',
  },
} as const;

/**
 * The help reply: every keyword the merchant answers, in as few words as carry them (join, points,
 * claims and coupons, feedback and complaints, opting out, with the merchant's own opt-out words,
 * and in), then the merchant's own keyword apps (`appWords`, in the order given) as many as fit in two
 * parts with the signature; should some not fit, it says how many more there are, never cutting one.
 */
function helpText(
  c: ReplyContext,
  appWords: readonly string[],
  signature: string,
  optOutWords: readonly string[] = [],
): string {
  const words = helpWords[c.lang];
  const fits = (text: string) => countSegments(`${signature}${text}`).segments <= maxHelpParts;
  // The merchant's opt-out words, as many as leave the list in two parts (20 of 20 characters would not).
  let optOut = ['', ...optOutWords];
  const othersAtLeast = appWords.length > 0 ? words.onlyOthers(appWords.length) : '';
  while (optOut.length > 1 && !fits(`${words.list(optOut.join('/'))}${othersAtLeast}${words.end}`))
    optOut = optOut.slice(0, -1);
  const list = words.list(optOut.join('/'));
  const listing = (shown: readonly string[]) => {
    const left = appWords.length - shown.length;
    if (shown.length === 0) return `${list}${left > 0 ? words.onlyOthers(left) : ''}${words.end}`;
    return `${list}${words.more}${shown.join(words.separator)}${left > 0 ? words.others(left) : ''}${words.end}`;
  };
  const shown: string[] = [];
  for (const word of appWords) {
    if (!fits(listing([...shown, word]))) break;
    shown.push(word);
  }
  return listing(shown);
}

/** What joining gave, for the welcome: the join gift or a referral reward, points and a benefit's name. */
export interface JoinReward {
  kind: 'join-gift' | 'referral';
  points?: number;
  benefit?: string;
}

/** What became of the referral named at join; `phone`: the referrer's, as read. */
export type ReferralNote =
  | { note: 'recorded' | 'recorded-pending' | 'not-member' | 'joined-later'; phone: string }
  | { note: 'unreadable' | 'self' | 'not-new' };

/** A gift the member can exchange points for now, and the points they would have left. */
export interface ExchangeOffer {
  code: string;
  name: string;
  pricePoints: number;
  pointsAfter: number;
}

/**
 * 兑换 alone: the gifts the member's points buy now, cheapest first, each with its code, price and the
 * points left after, in at most two parts with the signature; those that do not fit are left out
 * (the reply says how many more there are).
 */
function exchangeableText(
  c: ReplyContext,
  offers: readonly ExchangeOffer[],
  balance: number,
  signature: string,
): string {
  if (offers.length === 0)
    return pick(c, {
      zh: `您当前积分${balance}分，暂无可兑换的礼品。回复"积分"查询积分。`,
      en: `You have ${balance} points; there is nothing to exchange them for right now. Reply POINTS for your balance.`,
    });
  const line = (o: ExchangeOffer) =>
    pick(c, {
      zh: `${o.code} ${o.name} ${o.pricePoints}分（剩${o.pointsAfter}）`,
      en: `${o.code} ${o.name} ${o.pricePoints} pts (${o.pointsAfter} left)`,
    });
  const text = (shown: readonly ExchangeOffer[]) => {
    const more = offers.length - shown.length;
    return pick(c, {
      zh: `您有${balance}积分，可兑换：${shown.map(line).join('；')}${more > 0 ? `；另有${more}项` : ''}。回复"兑换 代码"兑换。`,
      en: `You have ${balance} points. Exchange for: ${shown.map(line).join('; ')}${more > 0 ? `; ${more} more` : ''}. Reply EXCHANGE and the code.`,
    });
  };
  const shown: ExchangeOffer[] = [];
  for (const offer of offers) {
    const fits = countSegments(`${signature}${text([...shown, offer])}`).segments <= maxHelpParts;
    if (!fits && shown.length > 0) break;
    shown.push(offer);
  }
  return text(shown);
}

export const replies = {
  welcome: (c: ReplyContext, name?: string) =>
    pick(c, {
      zh: `${name ? `${name}，` : ''}欢迎加入${c.merchantName}会员！回复"积分"查询积分，"帮助"查看指令，"退订"拒收营销短信。`,
      en: `Welcome to ${c.merchantName} rewards${name ? `, ${name}` : ''}! Reply POINTS for your balance, HELP for keywords, STOP to opt out of offers.`,
    }),
  /** Added to the welcome: what joining gave (the join gift, a reward for being referred). */
  joinRewards: (c: ReplyContext, gifts: readonly JoinReward[]) =>
    gifts
      .map((gift) => {
        const what = [
          ...(gift.points ? [pick(c, { zh: `${gift.points}积分`, en: `${gift.points} points` })] : []),
          ...(gift.benefit ? [gift.benefit] : []),
        ].join(pick(c, { zh: '和', en: ' and ' }));
        return gift.kind === 'join-gift'
          ? pick(c, { zh: `开卡礼${what}已到账。`, en: ` Join gift: ${what} added.` })
          : pick(c, { zh: `推荐奖励${what}已到账。`, en: ` Referral reward: ${what} added.` });
      })
      .join(''),
  /** Added to the welcome: the referral named was recorded, or why not. */
  referral: (c: ReplyContext, outcome: ReferralNote) => {
    const tail = 'phone' in outcome ? outcome.phone.slice(-4) : '';
    switch (outcome.note) {
      case 'recorded':
        return pick(c, { zh: `已登记推荐人（尾号${tail}）。`, en: ` Referrer (ending ${tail}) recorded.` });
      case 'recorded-pending':
        return pick(c, {
          zh: `已登记推荐人（尾号${tail}），首次消费后发放推荐奖励。`,
          en: ` Referrer (ending ${tail}) recorded; referral rewards follow your first purchase.`,
        });
      case 'unreadable':
        return pick(c, {
          zh: '推荐人号码无法识别，未登记推荐（请写11位手机号，如"注册 推荐 13800138000"）。',
          en: ' We could not read the referrer’s number, so no referral was recorded (write a mobile number, e.g. JOIN REF 13800138000).',
        });
      case 'self':
        return pick(c, {
          zh: '不能推荐自己，未登记推荐。',
          en: ' You cannot refer yourself, so no referral was recorded.',
        });
      case 'not-member':
        return pick(c, {
          zh: `尾号${tail}的号码不是本店会员，未登记推荐。`,
          en: ` The number ending ${tail} is not a member here, so no referral was recorded.`,
        });
      case 'joined-later':
        return pick(c, {
          zh: `尾号${tail}的会员入会不早于您，未登记推荐。`,
          en: ` The member ending ${tail} did not join before you, so no referral was recorded.`,
        });
      case 'not-new':
        return pick(c, {
          zh: '推荐仅限首次入会，未登记推荐。',
          en: ' Referrals are for first-time members only, so none was recorded.',
        });
    }
  },
  alreadyMember: (c: ReplyContext) =>
    pick(c, {
      zh: `您已是${c.merchantName}会员，无需重复注册。回复"积分"查询积分。`,
      en: `You are already a ${c.merchantName} member. Reply POINTS for your balance.`,
    }),
  tierUpgraded: (c: ReplyContext, tier: string) =>
    pick(c, {
      zh: `恭喜！您已升级为${c.merchantName}${tier}会员，尊享更多会员权益。回复"领取"查看可领取的权益。`,
      en: `Congratulations! You are now a ${tier} member of ${c.merchantName}. Reply CLAIM to see your benefits.`,
    }),
  /** A member who was deleted joined again: their points and history are back. */
  welcomeBack: (c: ReplyContext, name?: string) =>
    pick(c, {
      zh: `${name ? `${name}，` : ''}欢迎回到${c.merchantName}会员！您的积分和记录已恢复。回复"积分"查询积分，"帮助"查看指令，"退订"拒收营销短信。`,
      en: `Welcome back to ${c.merchantName} rewards${name ? `, ${name}` : ''}! Your points and history are restored. Reply POINTS for your balance, HELP for keywords, STOP to opt out of offers.`,
    }),
  joinInvalid: (c: ReplyContext, problem: 'birthday' | 'name') =>
    problem === 'birthday'
      ? pick(c, {
          zh: '生日格式不对，请按"注册 姓名 1990-05-01"重新发送。',
          en: 'We could not read that birthday. Send JOIN, your name and a date like 1990-05-01.',
        })
      : pick(c, {
          zh: `姓名最多${maxNameLength}个字，且不能含特殊符号，请按"注册 姓名"重新发送。`,
          en: `Names are up to ${maxNameLength} characters without special symbols. Send JOIN and your name again.`,
        }),
  points: (
    c: ReplyContext,
    points: number,
    tier?: string,
    expiring?: { points: number; expiresOn: string },
  ) => {
    const all = expiring?.points === points;
    return pick(c, {
      zh: `您在${c.merchantName}的积分余额为${points}分${tier ? `，会员等级：${tier}` : ''}。${expiring ? (all ? `这些积分将于${expiring.expiresOn}全部到期。` : `其中${expiring.points}分将于${expiring.expiresOn}到期。`) : ''}`,
      en: `Your ${c.merchantName} balance is ${points} points${tier ? `, tier: ${tier}` : ''}.${expiring ? (all ? ` They all expire on ${expiring.expiresOn}.` : ` ${expiring.points} points expire on ${expiring.expiresOn}.`) : ''}`,
    });
  },
  notMember: (c: ReplyContext) =>
    pick(c, {
      zh: `您还不是${c.merchantName}会员。回复"注册 姓名"即可加入。`,
      en: `You are not a ${c.merchantName} member yet. Reply JOIN and your name to join.`,
    }),
  help: helpText,
  /** A claim granted: the coupon code to show at the counter, when there is one (claims before codes had none). */
  claimed: (c: ReplyContext, benefit: string, value?: string, validUntil?: string, couponCode?: string) =>
    pick(c, {
      zh: `您已成功领取「${benefit}」${value ? `（${value}）` : ''}${couponCode ? `，券码${couponCode}` : ''}${validUntil ? `，有效期至${validUntil}` : ''}。${couponCode ? '到店出示券码使用。' : ''}`,
      en: `You have claimed "${benefit}"${value ? ` (${value})` : ''}${couponCode ? `, code ${couponCode}` : ''}${validUntil ? `, valid until ${validUntil}` : ''}.${couponCode ? ' Show the code in store to use it.' : ''}`,
    }),
  /** 券 / QUAN: the member's coupons they can still use, each with its code and last day. */
  coupons: (c: ReplyContext, coupons: readonly { name: string; couponCode: string; until?: string }[]) =>
    coupons.length === 0
      ? pick(c, {
          zh: '您当前没有可用的券。回复"领取"查看可领取的权益。',
          en: 'You have no coupons to use right now. Reply CLAIM to see what you can claim.',
        })
      : pick(c, {
          zh: `您的券：${coupons.map((x) => `「${x.name}」${x.couponCode}${x.until ? ` 至${x.until}` : ''}`).join('；')}。到店出示券码使用。`,
          en: `Your coupons: ${coupons.map((x) => `"${x.name}" ${x.couponCode}${x.until ? ` until ${x.until}` : ''}`).join('; ')}. Show the code in store.`,
        }),
  /** What staff did to the member's account, when the merchant sends these notices. */
  earnNotice: (c: ReplyContext, yuan: string, points: number, balance: number, rule?: MultipliedBy) =>
    pick(c, {
      zh: `您在${c.merchantName}消费${yuan}元，获得${points}积分${rule ? `（${rule.name} ×${rule.multiplier}）` : ''}，积分余额${balance}。`,
      en: `Your ${yuan} yuan purchase at ${c.merchantName} earned ${points} points${rule ? ` (${rule.name} ×${rule.multiplier})` : ''}; balance ${balance}.`,
    }),
  topUpNotice: (c: ReplyContext, yuan: string, balanceYuan: string, bonus?: GivenBonus) =>
    pick(c, {
      zh: `您在${c.merchantName}的储值已充值${yuan}元${bonusText('zh', bonus)}，余额${balanceYuan}元。`,
      en: `${yuan} yuan was added to your ${c.merchantName} stored value${bonusText('en', bonus)}; balance ${balanceYuan} yuan.`,
    }),
  redeemNotice: (c: ReplyContext, benefit: string, couponCode: string, at: string) =>
    pick(c, {
      zh: `您的「${benefit}」（券码${couponCode}）已于${at}在${c.merchantName}使用。`,
      en: `Your "${benefit}" (${couponCode}) was used at ${c.merchantName} at ${at}.`,
    }),
  claimable: (c: ReplyContext, offers: { code: string; name: string }[]) =>
    offers.length === 0
      ? pick(c, { zh: '您当前没有可领取的权益。', en: 'There are no benefits for you to claim right now.' })
      : pick(c, {
          zh: `可领取：${offers.map((o) => `${o.code} ${o.name}`).join('；')}。回复"领取 代码"领取。`,
          en: `You can claim: ${offers.map((o) => `${o.code} ${o.name}`).join('; ')}. Reply CLAIM and the code.`,
        }),
  exchangeable: exchangeableText,
  /** An exchange granted: what it cost, the coupon code when there is one, and the balance left. */
  exchanged: (
    c: ReplyContext,
    x: {
      name: string;
      pricePoints: number;
      balance: number;
      value?: string;
      until?: string;
      couponCode?: string;
    },
  ) =>
    pick(c, {
      zh: `您已用${x.pricePoints}积分兑换「${x.name}」${x.value ? `（${x.value}）` : ''}${x.couponCode ? `，券码${x.couponCode}` : ''}${x.until ? `，有效期至${x.until}` : ''}，积分余额${x.balance}。${x.couponCode ? '到店出示券码使用。' : ''}`,
      en: `You exchanged ${x.pricePoints} points for "${x.name}"${x.value ? ` (${x.value})` : ''}${x.couponCode ? `, code ${x.couponCode}` : ''}${x.until ? `, valid until ${x.until}` : ''}; balance ${x.balance} points.${x.couponCode ? ' Show the code in store to use it.' : ''}`,
    }),
  /** 兑换 with a code that is no gift of the merchant's (or no code at all). */
  exchangeUnknown: (c: ReplyContext) =>
    pick(c, {
      zh: '未找到该礼品。回复"兑换"查看可兑换的礼品，再发送"兑换 代码"兑换。',
      en: 'We could not find that gift. Reply EXCHANGE to see what you can exchange, then EXCHANGE and the code.',
    }),
  optedOut: (c: ReplyContext) =>
    pick(c, {
      zh: `您已退订${c.merchantName}的营销短信，回复"订阅"可恢复。`,
      en: `You will get no more offers from ${c.merchantName}. Reply START to receive them again.`,
    }),
  optedIn: (c: ReplyContext) =>
    pick(c, {
      zh: `您已订阅${c.merchantName}的营销短信，回复"退订"可随时退订。`,
      en: `You will receive offers from ${c.merchantName} again. Reply STOP at any time to opt out.`,
    }),
  /** A complaint, opened as a ticket; marketing is held back until a person clears it. */
  complaintTicket: (c: ReplyContext, ticketNumber: number) =>
    pick(c, {
      zh: `您的投诉已收到（编号${ticketNumber}），${c.merchantName}将尽快处理；处理完毕前不再向您发送营销短信。`,
      en: `We have your complaint (no. ${ticketNumber}). ${c.merchantName} will look into it and send you no offers until it is resolved.`,
    }),
  feedbackTicket: (c: ReplyContext, type: 'feedback' | 'suggestion', ticketNumber: number) =>
    type === 'suggestion'
      ? pick(c, {
          zh: `感谢您的建议（编号${ticketNumber}），${c.merchantName}会认真考虑并尽快回复您。`,
          en: `Thank you for your suggestion (no. ${ticketNumber}). ${c.merchantName} will consider it and reply soon.`,
        })
      : pick(c, {
          zh: `感谢您的反馈（编号${ticketNumber}），${c.merchantName}会尽快回复您。`,
          en: `Thank you for your feedback (no. ${ticketNumber}). ${c.merchantName} will reply soon.`,
        }),
  /** 反馈 or 建议 alone: there is nothing to pass on yet. */
  feedbackEmpty: (c: ReplyContext, type: 'feedback' | 'suggestion') =>
    type === 'suggestion'
      ? pick(c, {
          zh: '请在"建议"后写下您的建议，例如"建议 增加素食菜品"。',
          en: 'Please write your suggestion after FEEDBACK, e.g. FEEDBACK more vegetarian dishes please.',
        })
      : pick(c, {
          zh: '请在"反馈"后写下您的意见，例如"反馈 今天的服务很好"。',
          en: 'Please write your feedback after FEEDBACK, e.g. FEEDBACK great service today.',
        }),
  /** The merchant's answer to a ticket, under the number the member was given when they wrote. */
  ticketAnswer: (c: ReplyContext, ticketNumber: number, answer: string) =>
    pick(c, {
      zh: `（回复您的编号${ticketNumber}）${answer}`,
      en: `(Re your no. ${ticketNumber}) ${answer}`,
    }),
  tooLong: (c: ReplyContext) =>
    pick(c, {
      zh: '短信内容过长，请只发送指令，例如"积分"。回复"帮助"查看指令。',
      en: 'That message is too long. Send just a keyword, such as POINTS. Reply HELP for the list.',
    }),
};
