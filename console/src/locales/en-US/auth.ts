import type zh from '../zh-CN/auth';

export default {
  'signIn.title': 'Sign in',
  'signIn.phone': 'Mobile number',
  'signIn.phoneRequired': 'Enter your mobile number',
  'signIn.phoneInvalid': 'Digits only, with the country code if you like, e.g. +86',
  'signIn.sendCode': 'Send me a code',
  'signIn.codeSent': 'A code was sent to {phone}',
  'signIn.code': 'Code',
  'signIn.codeInvalid': 'Enter the 6-digit code',
  'signIn.submit': 'Sign in',
  'signIn.otherPhone': 'Use another number',
  'signIn.failed': 'Could not sign in',
  'signIn.codeFailed': 'Could not send the code',
} satisfies Record<keyof typeof zh, string>;
