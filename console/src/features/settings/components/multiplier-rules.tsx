import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, DatePicker, Flex, Form, Input, InputNumber, Select } from 'antd';
import { useT } from '../../../lib/i18n';
import { useStoreName } from '../../stores/api/stores';
import { StoreSelect } from '../../stores/components/store-select';
import type { LoyaltySettings } from '../api/loyalty-settings';
import { type DayRange, datesOf, dayRangeOf } from './day-range';

type Rule = NonNullable<LoyaltySettings['multipliers']>[number];
type Tier = NonNullable<LoyaltySettings['tiers']>[number];

/** A rule as the form holds it: the date range as one picker's two days. */
export interface RuleFields {
  name: string;
  multiplier?: number;
  days?: DayRange;
  weekdays?: number[];
  birthdayMonth?: boolean;
  tiers?: string[];
  stores?: string[];
}

export function toRuleFields(rule: Rule): RuleFields {
  return {
    name: rule.name,
    multiplier: rule.multiplier,
    days: dayRangeOf(rule),
    weekdays: rule.weekdays ?? [],
    birthdayMonth: rule.birthdayMonth ?? false,
    tiers: rule.tiers ?? [],
    stores: rule.stores ?? [],
  };
}

/** The rule as the API takes it: a condition left empty is no condition. */
export function toRule(fields: RuleFields): Rule {
  return {
    name: fields.name,
    multiplier: fields.multiplier ?? 0,
    ...datesOf(fields.days),
    ...(fields.weekdays?.length ? { weekdays: fields.weekdays } : {}),
    ...(fields.birthdayMonth ? { birthdayMonth: true } : {}),
    ...(fields.tiers?.length ? { tiers: fields.tiers } : {}),
    ...(fields.stores?.length ? { stores: fields.stores } : {}),
  };
}

/**
 * Points multipliers (积分加倍): each rule a name, how many times the points, and when it applies —
 * days, weekdays, the member's birthday month, tiers, stores. The highest rule that applies wins.
 */
export function MultiplierRules({ tiers }: { tiers: Tier[] }) {
  const t = useT();
  const { hasStores } = useStoreName();
  const weekdays = ([1, 2, 3, 4, 5, 6, 7] as const).map((day) => ({
    value: day,
    label: t(`settings.weekday.${day}`),
  }));
  return (
    <Form.List name="multipliers">
      {(rules, { add, remove }, { errors }) => (
        <Form.Item label={t('settings.multipliers')} extra={t('settings.multipliersHint')}>
          <Flex vertical gap={8}>
            {rules.map(({ key, name }, index) => (
              <Card
                key={key}
                size="small"
                title={t('settings.multiplierRule', { n: index + 1 })}
                extra={
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={t('settings.multiplierRemove', { n: index + 1 })}
                    onClick={() => remove(name)}
                  />
                }
              >
                <Flex gap={8} wrap>
                  <Form.Item
                    name={[name, 'name']}
                    label={t('settings.multiplierName')}
                    rules={[
                      { required: true, whitespace: true, message: t('settings.multiplierNameRequired') },
                    ]}
                    style={{ flex: '2 1 180px', marginBottom: 8 }}
                  >
                    <Input maxLength={40} aria-label={t('settings.multiplierNameOf', { n: index + 1 })} />
                  </Form.Item>
                  <Form.Item
                    name={[name, 'multiplier']}
                    label={t('settings.multiplierTimes')}
                    rules={[{ required: true, message: t('settings.multiplierTimesRequired') }]}
                    style={{ flex: '1 1 120px', marginBottom: 8 }}
                  >
                    <InputNumber
                      min={1.1}
                      max={10}
                      step={0.5}
                      precision={1}
                      addonBefore="×"
                      aria-label={t('settings.multiplierTimesOf', { n: index + 1 })}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                </Flex>
                <Flex gap={8} wrap>
                  <Form.Item
                    name={[name, 'days']}
                    label={t('settings.multiplierDays')}
                    style={{ flex: '1 1 240px', marginBottom: 8 }}
                  >
                    <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
                  </Form.Item>
                  <Form.Item
                    name={[name, 'weekdays']}
                    label={t('settings.multiplierWeekdays')}
                    style={{ flex: '1 1 200px', marginBottom: 8 }}
                  >
                    <Select
                      mode="multiple"
                      optionFilterProp="label"
                      allowClear
                      options={weekdays}
                      placeholder={t('settings.multiplierAnyDay')}
                      aria-label={t('settings.multiplierWeekdaysOf', { n: index + 1 })}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[name, 'tiers']}
                    label={t('settings.multiplierTiers')}
                    style={{ flex: '1 1 200px', marginBottom: 8 }}
                  >
                    <Select
                      mode="multiple"
                      optionFilterProp="label"
                      allowClear
                      options={tiers
                        .filter((tier) => tier.code)
                        .map((tier) => ({ value: tier.code, label: tier.name }))}
                      placeholder={t('settings.multiplierAnyTier')}
                      aria-label={t('settings.multiplierTiersOf', { n: index + 1 })}
                    />
                  </Form.Item>
                  {hasStores && (
                    <Form.Item
                      name={[name, 'stores']}
                      label={t('settings.multiplierStores')}
                      style={{ flex: '1 1 200px', marginBottom: 8 }}
                    >
                      <StoreSelect
                        mode="multiple"
                        placeholder={t('stores.all')}
                        aria-label={t('settings.multiplierStoresOf', { n: index + 1 })}
                      />
                    </Form.Item>
                  )}
                </Flex>
                <Form.Item name={[name, 'birthdayMonth']} valuePropName="checked" style={{ marginBottom: 0 }}>
                  <Checkbox>{t('settings.multiplierBirthdayMonth')}</Checkbox>
                </Form.Item>
              </Card>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              disabled={rules.length >= 20}
              onClick={() =>
                add({
                  name: '',
                  multiplier: 2,
                  days: null,
                  weekdays: [],
                  birthdayMonth: false,
                  tiers: [],
                  stores: [],
                })
              }
            >
              {t('settings.multiplierAdd')}
            </Button>
            <Form.ErrorList errors={errors} />
          </Flex>
        </Form.Item>
      )}
    </Form.List>
  );
}
