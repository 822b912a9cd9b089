import { Button, Flex, Form, Input } from 'antd';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import { useIdempotencyKey } from '../../../lib/idempotency';
import { useAnswerTicket } from '../api/tickets';

const fields = ['text'] as const;

/**
 * The answer texted to the member. Its idempotency key is made when the form opens and kept until
 * the answer went: a double click or a retry after a lost answer sends one text. The form closes once
 * sent, so the next answer opens with a new key.
 */
export function AnswerForm({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ text: string }>();
  const { key } = useIdempotencyKey();
  const send = useAnswerTicket();
  return (
    <Form
      form={form}
      name="ticket-answer"
      layout="vertical"
      requiredMark={false}
      onFinish={({ text }) => send.mutate({ ticketId, text, key }, { onSuccess: onDone })}
    >
      <Form.Item
        label={t('tickets.answer')}
        name="text"
        extra={t('tickets.answerHint')}
        rules={[{ required: true, whitespace: true, message: t('tickets.answerRequired') }]}
      >
        <Input.TextArea autoFocus maxLength={500} showCount autoSize={{ minRows: 3, maxRows: 8 }} />
      </Form.Item>
      <FormProblem title={t('tickets.answerFailed')} error={send.error} form={form} fields={fields} />
      <Flex gap={8} justify="flex-end">
        <Button onClick={onDone}>{t('tickets.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={send.isPending}>
          {t('tickets.send')}
        </Button>
      </Flex>
    </Form>
  );
}
