import { Alert, Button, Form, Input, InputNumber } from 'antd';
import { useRef } from 'react';
import { FormProblem } from '../../../components/form-problem';
import { useLanguage } from '../../../lib/i18n';
import { useIdempotencyKey } from '../../../lib/idempotency';
import { centsOf, formatYuan } from '../../../lib/money';
import { type LedgerAction, usePostLedgerEntry } from '../api/post-ledger-entry';
import { ledgerChange } from './ledger-change';

type Values = { amount?: number; points?: number; reason?: string };
export type LedgerAnswer = Awaited<ReturnType<ReturnType<typeof usePostLedgerEntry>['mutateAsync']>>;

/** The label of the amount for the actions that take one in yuan. */
const amountLabel = {
  earn: 'ledger.amount',
  topUp: 'ledger.topUpAmount',
  spend: 'ledger.spendAmount',
} as const;
const fields = ['amount', 'points', 'reason'] as const;
const fieldOf = { purchaseCents: 'amount', cents: 'amount' };

interface LedgerActionFormProps {
  phone: string;
  action: LedgerAction;
  /** Points a yuan earns, to say so under the purchase amount. */
  pointsPerYuan?: number;
  onDone?: (answer: LedgerAnswer) => void;
  size?: 'middle' | 'large';
}

/**
 * One action on the member's books. Its idempotency key is made when the form opens and kept until
 * the action succeeded: a double click, or a retry after the answer was lost, is done once.
 */
export function LedgerActionForm({
  phone,
  action,
  pointsPerYuan,
  onDone,
  size = 'middle',
}: LedgerActionFormProps) {
  const { t, language } = useLanguage();
  const [form] = Form.useForm<Values>();
  const idempotency = useIdempotencyKey();
  const post = usePostLedgerEntry(phone);
  // Set before the first click's request leaves, so a second click in the same moment sends nothing.
  const sending = useRef(false);

  async function submit({ amount, points, reason }: Values) {
    if (sending.current) return;
    sending.current = true;
    try {
      const answered = await post.mutateAsync({
        action,
        input: { cents: amount === undefined ? undefined : centsOf(amount), points, reason },
        idempotencyKey: idempotency.key,
      });
      idempotency.renew();
      form.resetFields();
      onDone?.(answered);
    } catch {
      // Shown by FormProblem; the key stays, so submitting again retries the same operation.
    } finally {
      sending.current = false;
    }
  }

  const change = post.data?.entry;
  const isAmount = action === 'earn' || action === 'topUp' || action === 'spend';
  return (
    <Form form={form} name={`ledger-${action}`} layout="vertical" requiredMark={false} onFinish={submit}>
      {isAmount ? (
        <Form.Item
          label={t(amountLabel[action])}
          name="amount"
          rules={[{ required: true, type: 'number', min: 0.01, message: t('ledger.amountRequired') }]}
          extra={
            action === 'earn' && pointsPerYuan !== undefined
              ? t('ledger.rate', { points: pointsPerYuan })
              : undefined
          }
        >
          <InputNumber
            min={0}
            precision={2}
            step={1}
            inputMode="decimal"
            size={size}
            style={{ width: '100%' }}
          />
        </Form.Item>
      ) : (
        <Form.Item
          label={t(action === 'adjust' ? 'ledger.adjustPoints' : 'ledger.points')}
          name="points"
          rules={[
            { required: true, message: t('ledger.pointsRequired') },
            action === 'adjust'
              ? {
                  validator: (_, value) =>
                    value === 0 ? Promise.reject(t('ledger.pointsRequired')) : Promise.resolve(),
                }
              : { type: 'number', min: 1, message: t('ledger.pointsRequired') },
          ]}
        >
          <InputNumber
            min={action === 'adjust' ? undefined : 1}
            precision={0}
            size={size}
            style={{ width: '100%' }}
          />
        </Form.Item>
      )}
      <Form.Item
        label={t(action === 'adjust' ? 'ledger.adjustReason' : 'ledger.reason')}
        name="reason"
        rules={
          action === 'adjust'
            ? [{ required: true, whitespace: true, message: t('ledger.reasonRequired') }]
            : []
        }
      >
        <Input maxLength={200} size={size} />
      </Form.Item>
      <FormProblem
        title={t('ledger.failed')}
        error={post.error}
        form={form}
        fields={fields}
        fieldOf={fieldOf}
      />
      {post.isSuccess && change && !onDone && (
        <Form.Item>
          <Alert
            type="success"
            showIcon
            role="status"
            title={t('ledger.done', { change: ledgerChange(change, t, language) })}
            description={t('ledger.balances', {
              points: post.data.balances.points,
              storedValue: formatYuan(post.data.balances.storedValue, language),
            })}
          />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" size={size} block loading={post.isPending}>
        {t(`ledger.submit.${action}`)}
      </Button>
    </Form>
  );
}
