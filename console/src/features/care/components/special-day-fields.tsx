import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useT } from '../../../lib/i18n';
import { newSpecialDayCode } from '../care-form';
import { AudienceFields } from './audience-fields';

/** The merchant's own days (a shop anniversary), yearly (MM-DD) or once (YYYY-MM-DD). */
export function SpecialDayFields({
  tiers,
  defaultText,
}: {
  tiers: { code: string; name: string }[];
  defaultText: string;
}) {
  const t = useT();
  const required = [{ required: true, whitespace: true, message: t('care.specialDayRequired') }];
  return (
    <Card title={t('care.specialDays')} size="small">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('care.specialDaysHint')}
      </Typography.Paragraph>
      <Form.List name="specialDays">
        {(days, { add, remove }) => (
          <>
            {days.map((day) => (
              <div key={day.key} style={{ borderTop: '1px solid rgba(5,5,5,0.06)', paddingTop: 8 }}>
                <Flex gap={12} wrap align="start" style={{ rowGap: 0 }}>
                  <Form.Item
                    label={t('care.specialDayName')}
                    name={[day.name, 'name']}
                    rules={required}
                    style={{ flex: '2 1 160px' }}
                  >
                    <Input maxLength={40} />
                  </Form.Item>
                  <Form.Item
                    label={t('care.specialDayDate')}
                    name={[day.name, 'date']}
                    rules={required}
                    style={{ flex: '1 1 120px' }}
                  >
                    <Input placeholder="MM-DD" maxLength={10} inputMode="numeric" />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    aria-label={t('care.removeSpecialDay')}
                    onClick={() => remove(day.name)}
                    style={{ marginTop: 30 }}
                  />
                </Flex>
                <Form.Item
                  label={t('care.specialDayTemplate')}
                  name={[day.name, 'template']}
                  rules={required}
                >
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
                </Form.Item>
                <AudienceFields name={[day.name]} tiers={tiers} />
              </div>
            ))}
            <Button
              icon={<PlusOutlined />}
              onClick={() =>
                add({
                  code: newSpecialDayCode(),
                  name: '',
                  date: '',
                  template: defaultText,
                  tiers: [],
                  tags: [],
                })
              }
            >
              {t('care.addSpecialDay')}
            </Button>
          </>
        )}
      </Form.List>
    </Card>
  );
}
