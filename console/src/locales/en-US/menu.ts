import type zh from '../zh-CN/menu';

export default {
  'menu.dashboard': 'Dashboard',
  'menu.counter': 'Counter',
  'menu.members': 'Members',
  'menu.settings': 'Settings',
} satisfies Record<keyof typeof zh, string>;
