import type zh from '../zh-CN/common';

export default {
  'app.title': 'mcrm merchant console',
  'language.other': '中文',
  'layout.openMenu': 'Open the menu',
  'layout.signOut': 'Sign out',
  'role.owner': 'Owner',
  'role.marketing': 'Marketing',
  'role.cashier': 'Cashier',
  'page.loading': 'Loading…',
  'page.notFound': 'Page not found',
  'page.notFoundHint': 'The address may be wrong, or the page has moved.',
  'page.forbidden': 'Your role cannot open this page',
  'page.backHome': 'Back to the start',
  'page.previous': 'Previous',
  'page.next': 'Next',
  'error.connectionLost': 'Connection lost',
  'error.connectionLostHint': 'The server cannot be reached. Check the network and try again.',
  'error.retry': 'Retry',
  'error.unexpected': 'Something went wrong',
  'error.unexpectedHint': 'Reload the page; if it happens again, tell whoever runs the console.',
  'error.reload': 'Reload the page',
} satisfies Record<keyof typeof zh, string>;
