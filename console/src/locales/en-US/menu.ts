import type zh from '../zh-CN/menu';

export default {
  'menu.dashboard': 'Dashboard',
  'menu.counter': 'Counter',
  'menu.members': 'Members',
  'menu.imports': 'Import members',
  'menu.settings': 'Settings',
} satisfies Record<keyof typeof zh, string>;
