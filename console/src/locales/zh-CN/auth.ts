/** Signing in by a code sent to the staff member's phone. */
export default {
  'signIn.title': '登录',
  'signIn.phone': '手机号',
  'signIn.phoneRequired': '请输入手机号',
  'signIn.phoneInvalid': '手机号只能包含数字，可带国家代码，如 +86',
  'signIn.sendCode': '获取验证码',
  'signIn.codeSent': '验证码已发送至 {phone}',
  'signIn.code': '验证码',
  'signIn.codeInvalid': '请输入 6 位数字验证码',
  'signIn.submit': '登录',
  'signIn.otherPhone': '换个手机号',
  'signIn.failed': '未能登录',
  'signIn.codeFailed': '未能发送验证码',
};
