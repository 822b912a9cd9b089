import type zh from '../zh-CN/dashboard';

export default {
  'dashboard.loadFailed': 'Could not read the figures',
  'dashboard.members': 'Members',
  'dashboard.newThisWeek': '{n} new this week',
  'dashboard.optOutsThisMonth': 'Opt-outs this month',
  'dashboard.today': '{n} today',
  'dashboard.textsToday': 'Texts today',
  'dashboard.textsThisMonth': 'Texts this month',
  'dashboard.cost': 'Cost {cost}',
  'dashboard.openTickets': 'Open tickets',
  'dashboard.runningCampaigns': 'Campaigns sending',
  'dashboard.last30Days': 'Last 30 days',
  'dashboard.chartLabel': 'New members, texts and opt-outs each day of the last 30 days',
  'dashboard.joins': 'New members',
  'dashboard.texts': 'Texts',
  'dashboard.optOuts': 'Opt-outs',
} satisfies Record<keyof typeof zh, string>;
