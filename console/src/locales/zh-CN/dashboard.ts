/** The dashboard: the shop in numbers. */
export default {
  'dashboard.loadFailed': '未能读取数据',
  'dashboard.members': '会员',
  'dashboard.newThisWeek': '本周新增 {n}',
  'dashboard.optOutsThisMonth': '本月退订',
  'dashboard.today': '今日 {n}',
  'dashboard.textsToday': '今日短信',
  'dashboard.textsThisMonth': '本月短信',
  'dashboard.cost': '费用 {cost}',
  'dashboard.openTickets': '待处理工单',
  'dashboard.runningCampaigns': '发送中的活动',
  'dashboard.last30Days': '近 30 天',
  'dashboard.chartLabel': '近 30 天每天的新会员、短信与退订',
  'dashboard.joins': '新会员',
  'dashboard.texts': '短信',
  'dashboard.optOuts': '退订',
};
