/** The phone simulator of the local runtime. */
export default {
  'phone.about':
    '本地运行时专用：模拟顾客的手机给本店号码 {number} 发短信（注册、积分、反馈、关键词应用……），回复会即时出现在对话里。',
  'phone.from': '顾客手机',
  'phone.fromHint': '选一位会员，或输入任意手机号',
  'phone.threadWith': '{phone} 与 {number} 的短信',
  'phone.thread': '短信对话',
  'phone.noTexts': '还没有短信',
  'phone.text': '短信内容',
  'phone.textPlaceholder': '例如：积分',
  'phone.send': '发送',
  'phone.sendFailed': '短信未能发出',
};
