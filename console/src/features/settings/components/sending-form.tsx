import { App, Button, Flex, Form, Input, InputNumber } from 'antd';
import type { ReactNode } from 'react';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import { type SendingSettings, useSaveSendingSettings } from '../api/sending-settings';

/** The form's fields: the settings flattened, so each of the API's paths lands on one field. */
interface SendingFields {
  mps: number;
  hoursStart: string;
  hoursEnd: string;
  perDay: number;
  perWeek: number;
  carrierCapPerDay: number;
  heldTextExpiryDays: number;
  unsubscribeLine: string;
  pricePerPartFen: number;
}
const fields = [
  'mps',
  'hoursStart',
  'hoursEnd',
  'perDay',
  'perWeek',
  'carrierCapPerDay',
  'heldTextExpiryDays',
  'unsubscribeLine',
  'pricePerPartFen',
] as const;
const fieldOf = {
  marketingHours: 'hoursEnd',
  'marketingHours.start': 'hoursStart',
  'marketingHours.end': 'hoursEnd',
  frequencyCap: 'perWeek',
  'frequencyCap.perDay': 'perDay',
  'frequencyCap.perWeek': 'perWeek',
};

function toFields(settings: Required<SendingSettings>): SendingFields {
  const {
    marketingHours,
    frequencyCap,
    mps,
    carrierCapPerDay,
    heldTextExpiryDays,
    unsubscribeLine,
    pricePerPartFen,
  } = settings;
  return {
    mps,
    hoursStart: marketingHours.start,
    hoursEnd: marketingHours.end,
    perDay: frequencyCap.perDay ?? 2,
    perWeek: frequencyCap.perWeek ?? 5,
    carrierCapPerDay,
    heldTextExpiryDays,
    unsubscribeLine,
    pricePerPartFen,
  };
}

const time = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Two fields side by side that wrap on a phone. */
const Pair = ({ children }: { children: ReactNode }) => (
  <Flex gap={12} wrap style={{ rowGap: 0 }}>
    {children}
  </Flex>
);
const half = { flex: '1 1 160px' };

/**
 * The rules every text goes out under. The API replaces the sending settings whole, so what this form
 * does not show (registered templates, the shop's own opt-out words) is sent back as it was read.
 */
export function SendingForm({ settings }: { settings: Required<SendingSettings> }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<SendingFields>();
  const save = useSaveSendingSettings();
  const clock = [{ pattern: time, message: t('settings.timeInvalid') }];
  return (
    <Form
      form={form}
      name="sendingSettings"
      layout="vertical"
      initialValues={toFields(settings)}
      onFinish={({ hoursStart, hoursEnd, perDay, perWeek, ...rest }) =>
        save.mutate(
          {
            ...settings,
            ...rest,
            marketingHours: { start: hoursStart, end: hoursEnd },
            frequencyCap: { perDay, perWeek },
          },
          { onSuccess: () => message.success(t('settings.saved')) },
        )
      }
    >
      <Pair>
        <Form.Item label={t('settings.hoursStart')} name="hoursStart" rules={clock} style={half}>
          <Input placeholder="09:00" inputMode="numeric" />
        </Form.Item>
        <Form.Item label={t('settings.hoursEnd')} name="hoursEnd" rules={clock} style={half}>
          <Input placeholder="20:00" inputMode="numeric" />
        </Form.Item>
      </Pair>
      <Pair>
        <Form.Item label={t('settings.perDay')} name="perDay" style={half}>
          <InputNumber min={1} max={50} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('settings.perWeek')} name="perWeek" style={half}>
          <InputNumber min={1} max={100} style={{ width: '100%' }} />
        </Form.Item>
      </Pair>
      <Pair>
        <Form.Item label={t('settings.carrierCapPerDay')} name="carrierCapPerDay" style={half}>
          <InputNumber min={1} max={1000} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          label={t('settings.heldTextExpiryDays')}
          name="heldTextExpiryDays"
          extra={t('settings.heldTextExpiryDaysHint')}
          style={half}
        >
          <InputNumber min={1} max={30} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Pair>
      <Pair>
        <Form.Item label={t('settings.mps')} name="mps" extra={t('settings.mpsHint')} style={half}>
          <InputNumber min={1} max={1000} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('settings.pricePerPartFen')} name="pricePerPartFen" style={half}>
          <InputNumber min={0} max={1000} step={0.1} style={{ width: '100%' }} />
        </Form.Item>
      </Pair>
      <Pair>
        <Form.Item label={t('settings.unsubscribeLine')} name="unsubscribeLine" style={half}>
          <Input maxLength={20} />
        </Form.Item>
      </Pair>
      <FormProblem
        title={t('settings.saveFailed')}
        error={save.error}
        form={form}
        fields={fields}
        fieldOf={fieldOf}
      />
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('settings.saveSending')}
      </Button>
    </Form>
  );
}
