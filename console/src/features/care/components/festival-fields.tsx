import { Card, Flex, Form, Input, Switch, Tag, Typography } from 'antd';
import { useLanguage, useT } from '../../../lib/i18n';
import type { Festival } from '../api/care';
import { checkedByApi } from '../checked-by-api';
import { AudienceFields } from './audience-fields';

/**
 * Every festival a greeting can be set for, each with its dates this year and next as the API's
 * calendar gives them (the one the care job greets by), its text and audience while it is on.
 */
export function FestivalFields({
  festivals,
  tiers,
}: {
  festivals: Festival[];
  tiers: { code: string; name: string }[];
}) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <Card title={t('care.festivals')} size="small">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('care.festivalsHint')}
      </Typography.Paragraph>
      {festivals.map((festival) => {
        const name = language === 'zh-CN' ? festival.name.zh : festival.name.en;
        const [thisYear, nextYear] = festival.dates;
        return (
          <div key={festival.code} style={{ borderTop: '1px solid rgba(5,5,5,0.06)', paddingTop: 8 }}>
            <Flex align="center" gap={8} wrap style={{ marginBottom: 8 }}>
              <Form.Item name={['festivals', festival.code, 'enabled']} valuePropName="checked" noStyle>
                <Switch aria-label={name} size="small" />
              </Form.Item>
              <Typography.Text strong>{name}</Typography.Text>
              <Tag color={festival.calendar === 'lunar' ? 'red' : 'blue'} bordered={false}>
                {t(festival.calendar === 'lunar' ? 'care.lunar' : 'care.gregorian')}
              </Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('care.thisYear')} {thisYear?.date} · {t('care.nextYear')} {nextYear?.date}
              </Typography.Text>
            </Flex>
            <Form.Item
              noStyle
              shouldUpdate={(a, b) =>
                a.festivals?.[festival.code]?.enabled !== b.festivals?.[festival.code]?.enabled
              }
            >
              {({ getFieldValue }) =>
                getFieldValue(['festivals', festival.code, 'enabled']) ? (
                  <>
                    <Form.Item
                      label={t('care.festivalTemplate', { name })}
                      name={['festivals', festival.code, 'template']}
                      rules={checkedByApi}
                    >
                      <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
                    </Form.Item>
                    <AudienceFields name={['festivals', festival.code]} tiers={tiers} />
                  </>
                ) : null
              }
            </Form.Item>
          </div>
        );
      })}
    </Card>
  );
}
