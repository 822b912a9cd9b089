import { Card, Flex, Form, Input, Select, Switch, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../../../lib/i18n';
import { checkedByApi } from '../checked-by-api';

const template = { autoSize: { minRows: 2, maxRows: 6 } } as const;

/** A greeting that can be turned on and off, its fields shown while it is on. */
export function Toggled({ name, title, children }: { name: string; title: string; children: ReactNode }) {
  return (
    <>
      <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
        <Form.Item name={[name, 'enabled']} valuePropName="checked" noStyle>
          <Switch aria-label={title} size="small" />
        </Form.Item>
        <Typography.Text strong>{title}</Typography.Text>
      </Flex>
      <Form.Item noStyle shouldUpdate={(a, b) => a[name]?.enabled !== b[name]?.enabled}>
        {({ getFieldValue }) => (getFieldValue([name, 'enabled']) ? children : null)}
      </Form.Item>
    </>
  );
}

/** Birthday greetings (with a benefit named on the day and detailed the day after) and anniversaries. */
export function GreetingFields({ benefits }: { benefits: { code: string; name: string }[] }) {
  const t = useT();
  return (
    <Card title={t('care.greetings')} size="small">
      <Toggled name="birthday" title={t('care.birthday')}>
        <Form.Item label={t('care.birthdayTemplate')} name={['birthday', 'template']} rules={checkedByApi}>
          <Input.TextArea {...template} />
        </Form.Item>
        <Form.Item
          label={t('care.benefit')}
          name={['birthday', 'benefitCode']}
          rules={checkedByApi}
          extra={t('care.benefitHint')}
        >
          <Select
            allowClear
            placeholder={t('care.noBenefit')}
            options={benefits.map((benefit) => ({ value: benefit.code, label: benefit.name }))}
          />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.birthday?.benefitCode !== b.birthday?.benefitCode}>
          {({ getFieldValue }) =>
            getFieldValue(['birthday', 'benefitCode']) ? (
              <Form.Item
                label={t('care.followUp')}
                name={['birthday', 'followUpTemplate']}
                rules={checkedByApi}
              >
                <Input.TextArea {...template} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
      </Toggled>
      <Toggled name="anniversary" title={t('care.anniversary')}>
        <Form.Item
          label={t('care.anniversaryTemplate')}
          name={['anniversary', 'template']}
          rules={checkedByApi}
        >
          <Input.TextArea {...template} />
        </Form.Item>
      </Toggled>
    </Card>
  );
}
