import { Button, Card, Flex, Form, Input, Popconfirm, Radio, Select, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { ulid } from 'ulidx';
import { ApiProblem } from '../../../components/api-problem';
import { CronField, cronRule, defaultCron } from '../../../components/cron-field';
import { CursorPager } from '../../../components/cursor-pager';
import { FormProblem } from '../../../components/form-problem';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useT } from '../../../lib/i18n';
import { useShopZone } from '../../../lib/shop-zone';
import { instantIn, wallIn } from '../../../lib/zoned-time';
import {
  type NewReminder,
  type Reminder,
  useCancelReminder,
  useCreateReminder,
  useReminders,
} from '../api/reminders';

interface ReminderFields {
  to: 'member' | 'staff';
  phone?: string;
  staff?: string[];
  template: string;
  when: 'once' | 'recurring';
  at?: string;
  cron: string;
}
const fields = ['phone', 'staff', 'template', 'at', 'cron'] as const;
const fieldOf = { 'to.phone': 'phone', 'to.staff': 'staff', to: 'phone', 'cron.expression': 'cron' };

function bodyOf(values: ReminderFields, timeZone: string): NewReminder {
  return {
    to: values.to === 'staff' ? { staff: values.staff ?? [] } : { phone: values.phone ?? '' },
    template: values.template,
    ...(values.when === 'once'
      ? { at: instantIn(values.at ?? '', timeZone) }
      : { cron: { expression: values.cron } }),
  };
}

const at = (iso?: string) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
const statusColor = { scheduled: 'blue', sent: 'green', cancelled: 'default' } as const;

/**
 * `/reminders`: texts at a set time to a member (an appointment) or to staff phones, once or on a cron
 * (with its next firings); the list with each one's next firing, and cancelling one.
 */
export function RemindersPage() {
  const t = useT();
  const zone = useShopZone();
  const pages = useCursorPages();
  const list = useReminders(pages.cursor);
  const cancel = useCancelReminder();

  const failed = zone.error ?? list.error;
  if (failed) {
    return <QueryProblem title={t('reminders.loadFailed')} error={failed} onRetry={() => list.refetch()} />;
  }
  if (!zone.data) return <PageLoading />;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('menu.reminders')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('reminders.about')}</Typography.Text>
      <NewReminderForm timeZone={zone.data} />
      {cancel.error && <ApiProblem title={t('reminders.cancelFailed')} error={cancel.error} />}
      <Table<Reminder>
        rowKey="reminderId"
        loading={list.isLoading}
        dataSource={list.data?.reminders}
        pagination={false}
        size="middle"
        scroll={{ x: true }}
        locale={{ emptyText: t('reminders.none') }}
        columns={[
          {
            title: t('reminders.to'),
            key: 'to',
            render: (_, r) =>
              'phone' in r.to ? r.to.phone : `${t('reminders.staff')} ${r.to.staff.join('、')}`,
          },
          { title: t('reminders.template'), dataIndex: 'template', ellipsis: true },
          {
            title: t('reminders.when'),
            key: 'when',
            responsive: ['md'],
            render: (_, r) =>
              'cron' in r ? <Typography.Text code>{r.cron.expression}</Typography.Text> : at(r.at),
          },
          { title: t('reminders.nextAt'), dataIndex: 'nextAt', render: (v?: string) => at(v) },
          {
            title: t('reminders.status'),
            dataIndex: 'status',
            render: (status: Reminder['status']) => (
              <Tag color={statusColor[status]}>{t(`reminders.status.${status}`)}</Tag>
            ),
          },
          {
            key: 'cancel',
            render: (_, r) =>
              r.status === 'scheduled' && (
                <Popconfirm
                  title={t('reminders.cancelConfirm')}
                  okText={t('reminders.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => cancel.mutateAsync(r.reminderId).catch(() => undefined)}
                >
                  <Button danger size="small">
                    {t('reminders.cancel')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <CursorPager pages={pages} nextCursor={list.data?.cursor} loading={list.isFetching} />
    </Flex>
  );
}

function NewReminderForm({ timeZone }: { timeZone: string }) {
  const t = useT();
  const [form] = Form.useForm<ReminderFields>();
  // Made when the form opens and after each reminder saved: a double click schedules one.
  const [reminderId, setReminderId] = useState(() => ulid());
  const create = useCreateReminder();
  const to = Form.useWatch('to', form);
  const when = Form.useWatch('when', form);

  return (
    <Card size="small" title={t('reminders.new')}>
      <Form<ReminderFields>
        form={form}
        name="reminder"
        layout="vertical"
        requiredMark={false}
        initialValues={{ to: 'member', when: 'once', at: wallIn(timeZone, 60), cron: defaultCron, staff: [] }}
        onFinish={(values) =>
          create.mutate(
            { ...bodyOf(values, timeZone), reminderId },
            {
              onSuccess: () => {
                setReminderId(ulid());
                form.resetFields();
              },
            },
          )
        }
      >
        <Form.Item label={t('reminders.to')} name="to">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'member', label: t('reminders.member') },
              { value: 'staff', label: t('reminders.staff') },
            ]}
          />
        </Form.Item>
        {to === 'staff' ? (
          <Form.Item
            label={t('reminders.staffPhones')}
            name="staff"
            extra={t('reminders.staffHint')}
            rules={[{ required: true, message: t('reminders.staffRequired') }]}
          >
            <Select mode="tags" tokenSeparators={[',', ' ', '，']} open={false} suffixIcon={null} />
          </Form.Item>
        ) : (
          <Form.Item
            label={t('reminders.memberPhone')}
            name="phone"
            rules={[{ required: true, whitespace: true, message: t('reminders.phoneRequired') }]}
          >
            <Input inputMode="tel" autoComplete="off" style={{ maxWidth: 240 }} />
          </Form.Item>
        )}
        <Form.Item
          label={t('reminders.template')}
          name="template"
          extra={to === 'staff' ? t('reminders.staffTemplateHint') : undefined}
          rules={[{ required: true, whitespace: true, message: t('reminders.templateRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item label={t('reminders.when')} name="when">
          <Radio.Group
            options={[
              { value: 'once', label: t('reminders.once') },
              { value: 'recurring', label: t('reminders.recurring') },
            ]}
          />
        </Form.Item>
        {when === 'recurring' ? (
          <Form.Item label={t('composer.cron')} name="cron" rules={[cronRule(timeZone)]}>
            <CronField timeZone={timeZone} />
          </Form.Item>
        ) : (
          <Form.Item
            label={t('composer.atTime', { zone: timeZone })}
            name="at"
            rules={[{ required: true, message: t('composer.atRequired') }]}
          >
            <Input type="datetime-local" style={{ maxWidth: 240 }} />
          </Form.Item>
        )}
        <FormProblem
          title={t('reminders.createFailed')}
          error={create.error}
          form={form}
          fields={fields}
          fieldOf={fieldOf}
        />
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('reminders.create')}
        </Button>
      </Form>
    </Card>
  );
}
