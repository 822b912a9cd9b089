import { Card, Flex, Form, Input, InputNumber, Switch } from 'antd';
import { useT } from '../../../lib/i18n';
import { checkedByApi } from '../checked-by-api';
import { Toggled } from './greeting-fields';

const template = { autoSize: { minRows: 2, maxRows: 6 } } as const;
const half = { flex: '1 1 140px' };
const clock = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Reminders about a member's own points, balance and package: service texts, N days ahead. */
export function ReminderFields() {
  const t = useT();
  return (
    <Card title={t('care.reminders')} size="small">
      <Toggled name="pointsExpiring" title={t('care.pointsExpiring')}>
        <Form.Item label={t('care.daysAhead')} name={['pointsExpiring', 'days']} rules={checkedByApi}>
          <InputNumber min={1} max={90} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item
          label={t('care.reminderTemplate')}
          name={['pointsExpiring', 'template']}
          rules={checkedByApi}
        >
          <Input.TextArea {...template} />
        </Form.Item>
      </Toggled>
      <Toggled name="lowBalance" title={t('care.lowBalance')}>
        <Form.Item
          label={t('care.thresholdYuan')}
          name={['lowBalance', 'thresholdYuan']}
          rules={checkedByApi}
        >
          <InputNumber min={0.01} max={1_000_000} precision={2} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={t('care.reminderTemplate')} name={['lowBalance', 'template']} rules={checkedByApi}>
          <Input.TextArea {...template} />
        </Form.Item>
      </Toggled>
      <Toggled name="packageEnding" title={t('care.packageEnding')}>
        <Form.Item label={t('care.daysAhead')} name={['packageEnding', 'days']} rules={checkedByApi}>
          <InputNumber min={1} max={90} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item
          label={t('care.reminderTemplate')}
          name={['packageEnding', 'template']}
          rules={checkedByApi}
        >
          <Input.TextArea {...template} />
        </Form.Item>
      </Toggled>
      <Toggled name="countCardExpiring" title={t('care.countCardExpiring')}>
        <Form.Item label={t('care.daysAhead')} name={['countCardExpiring', 'days']} rules={checkedByApi}>
          <InputNumber min={1} max={90} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item
          label={t('care.reminderTemplate')}
          name={['countCardExpiring', 'template']}
          rules={checkedByApi}
        >
          <Input.TextArea {...template} />
        </Form.Item>
      </Toggled>
    </Card>
  );
}

/** The hours care texts go out in, and whether reminders reach members who opted out of marketing. */
export function SendingFields() {
  const t = useT();
  const rules = [{ pattern: clock, message: t('care.timeInvalid') }];
  return (
    <Card title={t('care.sending')} size="small">
      <Flex gap={12} wrap style={{ rowGap: 0 }}>
        <Form.Item label={t('care.windowStart')} name={['sendWindow', 'start']} rules={rules} style={half}>
          <Input placeholder="09:00" inputMode="numeric" />
        </Form.Item>
        <Form.Item label={t('care.windowEnd')} name={['sendWindow', 'end']} rules={rules} style={half}>
          <Input placeholder="20:00" inputMode="numeric" />
        </Form.Item>
      </Flex>
      <Flex align="center" gap={8}>
        <Form.Item name="serviceToOptedOut" valuePropName="checked" noStyle>
          <Switch size="small" aria-label={t('care.serviceToOptedOut')} />
        </Form.Item>
        <span>{t('care.serviceToOptedOut')}</span>
      </Flex>
    </Card>
  );
}
