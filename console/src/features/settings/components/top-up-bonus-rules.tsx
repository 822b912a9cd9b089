import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Flex, Form, Input, InputNumber } from 'antd';
import { useT } from '../../../lib/i18n';
import { centsOf } from '../../../lib/money';
import type { LoyaltySettings } from '../api/loyalty-settings';
import { type DayRange, datesOf, dayRangeOf } from './day-range';

type Rule = NonNullable<LoyaltySettings['topUpBonuses']>[number];

/** A rule as the form holds it: amounts in yuan, the dates as one picker's two days. */
export interface BonusRuleFields {
  name: string;
  minYuan?: number | null;
  bonusYuan?: number | null;
  bonusPoints?: number | null;
  days?: DayRange;
}

const yuanOf = (cents: number | undefined) => (cents === undefined ? null : cents / 100);
const centsOfTyped = (yuan: number | null | undefined) =>
  typeof yuan === 'number' ? centsOf(yuan) : undefined;

export function toBonusRuleFields(rule: Rule): BonusRuleFields {
  return {
    name: rule.name,
    minYuan: yuanOf(rule.minCents),
    bonusYuan: yuanOf(rule.bonusCents),
    bonusPoints: rule.bonusPoints ?? null,
    days: dayRangeOf(rule),
  };
}

/** The rule as the API takes it: an empty bonus is none; the API says when a rule gives nothing. */
export function toBonusRule(fields: BonusRuleFields): Rule {
  const bonusCents = centsOfTyped(fields.bonusYuan);
  return {
    name: fields.name,
    minCents: centsOfTyped(fields.minYuan) ?? 0,
    ...(bonusCents ? { bonusCents } : {}),
    ...(fields.bonusPoints ? { bonusPoints: fields.bonusPoints } : {}),
    ...datesOf(fields.days),
  };
}

/**
 * Top-up bonuses (充值赠送): each rule a name, the least top-up it needs, the bonus stored value
 * and/or points it gives, and the days it is valid. The highest rule a top-up reaches applies.
 */
export function TopUpBonusRules() {
  const t = useT();
  return (
    <Form.List name="topUpBonuses">
      {(rules, { add, remove }, { errors }) => (
        <Form.Item label={t('settings.topUpBonuses')} extra={t('settings.topUpBonusesHint')}>
          <Flex vertical gap={8}>
            {rules.map(({ key, name }, index) => (
              <Card
                key={key}
                size="small"
                title={t('settings.topUpBonusRule', { n: index + 1 })}
                extra={
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={t('settings.topUpBonusRemove', { n: index + 1 })}
                    onClick={() => remove(name)}
                  />
                }
              >
                <Flex gap={8} wrap>
                  <Form.Item
                    name={[name, 'name']}
                    label={t('settings.topUpBonusName')}
                    rules={[
                      { required: true, whitespace: true, message: t('settings.topUpBonusNameRequired') },
                    ]}
                    style={{ flex: '2 1 180px', marginBottom: 8 }}
                  >
                    <Input maxLength={40} aria-label={t('settings.topUpBonusNameOf', { n: index + 1 })} />
                  </Form.Item>
                  <Form.Item
                    name={[name, 'minYuan']}
                    label={t('settings.topUpBonusMin')}
                    rules={[{ required: true, message: t('settings.topUpBonusMinRequired') }]}
                    style={{ flex: '1 1 140px', marginBottom: 8 }}
                  >
                    <InputNumber
                      min={0.01}
                      max={1_000_000}
                      precision={2}
                      addonBefore="¥"
                      aria-label={t('settings.topUpBonusMinOf', { n: index + 1 })}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                </Flex>
                <Flex gap={8} wrap>
                  <Form.Item
                    name={[name, 'bonusYuan']}
                    label={t('settings.topUpBonusCents')}
                    style={{ flex: '1 1 140px', marginBottom: 8 }}
                  >
                    <InputNumber
                      min={0.01}
                      max={1_000_000}
                      precision={2}
                      addonBefore="¥"
                      aria-label={t('settings.topUpBonusCentsOf', { n: index + 1 })}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[name, 'bonusPoints']}
                    label={t('settings.topUpBonusPoints')}
                    style={{ flex: '1 1 140px', marginBottom: 8 }}
                  >
                    <InputNumber
                      min={1}
                      max={1_000_000}
                      precision={0}
                      aria-label={t('settings.topUpBonusPointsOf', { n: index + 1 })}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[name, 'days']}
                    label={t('settings.topUpBonusDays')}
                    style={{ flex: '1 1 240px', marginBottom: 8 }}
                  >
                    <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
                  </Form.Item>
                </Flex>
              </Card>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              disabled={rules.length >= 20}
              onClick={() => add({ name: '', minYuan: null, bonusYuan: null, bonusPoints: null, days: null })}
            >
              {t('settings.topUpBonusAdd')}
            </Button>
            <Form.ErrorList errors={errors} />
          </Flex>
        </Form.Item>
      )}
    </Form.List>
  );
}
