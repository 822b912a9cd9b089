import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Flex, Form, Input, InputNumber, Select } from 'antd';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import { type LoyaltySettings, useSaveLoyaltySettings } from '../api/loyalty-settings';
import { MultiplierRules, type RuleFields, toRule, toRuleFields } from './multiplier-rules';
import { type BonusRuleFields, TopUpBonusRules, toBonusRule, toBonusRuleFields } from './top-up-bonus-rules';
import {
  toWelcomeFields,
  toWelcomeSettings,
  type WelcomeFields,
  WelcomeRewards,
  welcomeFieldOf,
  welcomeFields,
} from './welcome-rewards';

type Tier = NonNullable<LoyaltySettings['tiers']>[number];
type ExpiryKind = NonNullable<LoyaltySettings['expiry']>['kind'];
type SpendOrder = NonNullable<LoyaltySettings['bonusSpendOrder']>;
/** The service texts the member may be sent when staff act on their account. */
const notices = ['earn', 'topUp', 'redeem'] as const;
type Notice = (typeof notices)[number];

/** The form's fields: the settings flattened, so each of the API's paths lands on one field. */
interface LoyaltyFields extends WelcomeFields {
  pointsPerYuan: number;
  /** Points that take a yuan off a purchase (抵扣); empty: points offset nothing. */
  pointsPerYuanOff?: number | null;
  expiryKind: ExpiryKind;
  expiryDays?: number;
  expiryYearsAfter?: number;
  tiers: Tier[];
  memberNotices: Notice[];
  multipliers: RuleFields[];
  topUpBonuses: BonusRuleFields[];
  bonusSpendOrder: SpendOrder;
}
const fields = [
  'pointsPerYuan',
  'pointsPerYuanOff',
  'expiryKind',
  'expiryDays',
  'expiryYearsAfter',
  'tiers',
  'memberNotices',
  'multipliers',
  'topUpBonuses',
  'bonusSpendOrder',
  ...welcomeFields,
] as const;
const fieldOf = {
  ...welcomeFieldOf,
  expiry: 'expiryKind',
  'expiry.days': 'expiryDays',
  'expiry.yearsAfter': 'expiryYearsAfter',
};

function toFields(settings: LoyaltySettings): LoyaltyFields {
  const {
    pointsPerYuan = 1,
    pointsPerYuanOff,
    expiry,
    tiers = [],
    memberNotices,
    multipliers = [],
    topUpBonuses = [],
    bonusSpendOrder = 'last',
  } = settings;
  return {
    ...toWelcomeFields(settings),
    pointsPerYuan,
    pointsPerYuanOff,
    expiryKind: expiry?.kind ?? 'never',
    expiryDays: expiry?.kind === 'days' ? expiry.days : 365,
    expiryYearsAfter: expiry?.kind === 'end-of-year' ? expiry.yearsAfter : 1,
    tiers,
    memberNotices: notices.filter((notice) => memberNotices?.[notice]),
    multipliers: multipliers.map(toRuleFields),
    topUpBonuses: topUpBonuses.map(toBonusRuleFields),
    bonusSpendOrder,
  };
}

function toSettings(values: LoyaltyFields): LoyaltySettings {
  const expiry =
    values.expiryKind === 'days'
      ? { kind: 'days' as const, days: values.expiryDays ?? 0 }
      : values.expiryKind === 'end-of-year'
        ? { kind: 'end-of-year' as const, yearsAfter: values.expiryYearsAfter ?? 0 }
        : { kind: 'never' as const };
  const memberNotices = Object.fromEntries(
    notices.map((notice) => [notice, values.memberNotices.includes(notice)]),
  ) as Record<Notice, boolean>;
  const offset =
    typeof values.pointsPerYuanOff === 'number' ? { pointsPerYuanOff: values.pointsPerYuanOff } : {};
  return {
    pointsPerYuan: values.pointsPerYuan,
    ...offset,
    expiry,
    tiers: values.tiers,
    memberNotices,
    multipliers: (values.multipliers ?? []).map(toRule),
    topUpBonuses: (values.topUpBonuses ?? []).map(toBonusRule),
    bonusSpendOrder: values.bonusSpendOrder,
    ...toWelcomeSettings(values),
  };
}

/** Points per yuan, how long points last, and the tiers with the points each starts at. */
export function LoyaltyForm({ settings }: { settings: LoyaltySettings }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<LoyaltyFields>();
  const save = useSaveLoyaltySettings();
  const expiryKind = Form.useWatch('expiryKind', form);
  const tiers = Form.useWatch('tiers', form) ?? settings.tiers ?? [];
  return (
    <Form
      form={form}
      name="loyaltySettings"
      layout="vertical"
      initialValues={toFields(settings)}
      onFinish={(values) =>
        save.mutate(toSettings(values), { onSuccess: () => message.success(t('settings.saved')) })
      }
    >
      <Form.Item
        label={t('settings.pointsPerYuan')}
        name="pointsPerYuan"
        extra={t('settings.pointsPerYuanHint')}
      >
        <InputNumber min={0.01} max={100} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        label={t('settings.pointsPerYuanOff')}
        name="pointsPerYuanOff"
        extra={t('settings.pointsPerYuanOffHint')}
      >
        <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item label={t('settings.expiry')} name="expiryKind" style={{ flex: '1 1 200px' }}>
          <Select
            options={(['end-of-year', 'days', 'never'] as const).map((kind) => ({
              value: kind,
              label: t(`settings.expiry.${kind}`),
            }))}
          />
        </Form.Item>
        {expiryKind === 'days' && (
          <Form.Item label={t('settings.expiryDays')} name="expiryDays" style={{ flex: '1 1 140px' }}>
            <InputNumber min={1} max={3650} style={{ width: '100%' }} />
          </Form.Item>
        )}
        {expiryKind === 'end-of-year' && (
          <Form.Item
            label={t('settings.expiryYearsAfter')}
            name="expiryYearsAfter"
            style={{ flex: '1 1 140px' }}
          >
            <InputNumber min={0} max={5} style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Flex>
      <Form.List name="tiers">
        {(tiers, { add, remove }, { errors }) => (
          <Form.Item label={t('settings.tiers')} extra={t('settings.tiersHint')}>
            <Flex vertical gap={8}>
              {tiers.map(({ key, name }, index) => (
                <Flex key={key} gap={8} align="center">
                  <Form.Item
                    name={[name, 'name']}
                    noStyle
                    rules={[{ required: true, message: t('settings.tierNameRequired') }]}
                  >
                    <Input
                      aria-label={t('settings.tierName', { n: index + 1 })}
                      style={{ flex: 2, minWidth: 0 }}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[name, 'code']}
                    noStyle
                    rules={[{ required: true, message: t('settings.tierCodeRequired') }]}
                  >
                    <Input
                      aria-label={t('settings.tierCode', { n: index + 1 })}
                      style={{ flex: 2, minWidth: 0 }}
                    />
                  </Form.Item>
                  <Form.Item name={[name, 'threshold']} noStyle>
                    <InputNumber
                      aria-label={t('settings.tierThreshold', { n: index + 1 })}
                      min={0}
                      style={{ flex: 2, minWidth: 0 }}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={t('settings.tierRemove', { n: index + 1 })}
                    disabled={tiers.length === 1}
                    onClick={() => remove(name)}
                  />
                </Flex>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ code: '', name: '', threshold: undefined })}
              >
                {t('settings.tierAdd')}
              </Button>
              <Form.ErrorList errors={errors} />
            </Flex>
          </Form.Item>
        )}
      </Form.List>
      <MultiplierRules tiers={tiers} />
      <TopUpBonusRules />
      <Form.Item
        label={t('settings.bonusSpendOrder')}
        name="bonusSpendOrder"
        extra={t('settings.bonusSpendOrderHint')}
      >
        <Select
          options={(['last', 'first'] as const).map((order) => ({
            value: order,
            label: t(`settings.bonusSpendOrder.${order}`),
          }))}
        />
      </Form.Item>
      <WelcomeRewards />
      <Form.Item
        label={t('settings.memberNotices')}
        name="memberNotices"
        extra={t('settings.memberNoticesHint')}
      >
        <Checkbox.Group
          options={notices.map((notice) => ({ value: notice, label: t(`settings.memberNotices.${notice}`) }))}
        />
      </Form.Item>
      <FormProblem
        title={t('settings.saveFailed')}
        error={save.error}
        form={form}
        fields={fields}
        fieldOf={fieldOf}
      />
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('settings.saveLoyalty')}
      </Button>
    </Form>
  );
}
