/** Names of the console's pages, in the menu and the window title. */
export default {
  'menu.dashboard': '概览',
  'menu.counter': '收银台',
  'menu.members': '会员',
  'menu.imports': '导入会员',
  'menu.benefits': '权益目录',
  'menu.templates': '短信模板',
  'menu.audiences': '人群',
  'menu.campaigns': '营销活动',
  'menu.reminders': '提醒',
  'menu.keywordApps': '关键词应用',
  'menu.tickets': '工单',
  'menu.phone': '手机模拟器',
  'menu.settings': '设置',
  'menu.staff': '员工',
  'menu.apiKeys': 'API 密钥',
  'menu.audit': '操作日志',
};
