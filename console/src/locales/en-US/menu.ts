import type zh from '../zh-CN/menu';

export default {
  'menu.dashboard': 'Dashboard',
  'menu.counter': 'Counter',
  'menu.members': 'Members',
  'menu.imports': 'Import members',
  'menu.benefits': 'Benefits',
  'menu.templates': 'Templates',
  'menu.audiences': 'Audiences',
  'menu.campaigns': 'Campaigns',
  'menu.care': 'Care',
  'menu.reminders': 'Reminders',
  'menu.keywordApps': 'Keyword apps',
  'menu.surveys': 'Surveys',
  'menu.retention': 'Retention',
  'menu.tickets': 'Tickets',
  'menu.phone': 'Phone simulator',
  'menu.settings': 'Settings',
  'menu.stores': 'Stores',
  'menu.staff': 'Staff',
  'menu.apiKeys': 'API keys',
  'menu.audit': 'Audit log',
} satisfies Record<keyof typeof zh, string>;
