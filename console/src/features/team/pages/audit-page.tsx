import { DatePicker, Flex, Select, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { isMessageKey, useT } from '../../../lib/i18n';
import { type AuditEntry, type AuditFilter, useAudit } from '../api/list-audit';
import { useStaffList } from '../api/list-staff';

/** The dates picked, as the API's range: from the first day's start to the day after the last. */
function rangeOf(days: [Dayjs | null, Dayjs | null] | null): Pick<AuditFilter, 'from' | 'to'> {
  const [first, last] = days ?? [null, null];
  return {
    ...(first ? { from: first.startOf('day').format() } : {}),
    ...(last ? { to: last.add(1, 'day').startOf('day').format() } : {}),
  };
}

/** Every change made through the API, newest first, by whom; kept to one person and dates. */
export function AuditPage() {
  const t = useT();
  const pages = useCursorPages();
  const [filter, setFilter] = useState<AuditFilter>({});
  const staff = useStaffList();
  const log = useAudit(filter, pages.cursor);
  const refine = (change: Partial<AuditFilter>) => {
    setFilter((current) => {
      const next = { ...current, ...change };
      for (const key of Object.keys(next) as (keyof AuditFilter)[]) if (!next[key]) delete next[key];
      return next;
    });
    pages.reset();
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('menu.audit')}
      </Typography.Title>
      <Flex gap={8} wrap>
        <Select
          aria-label={t('audit.who')}
          placeholder={t('audit.everyone')}
          allowClear
          style={{ minWidth: 180, flex: '1 1 180px', maxWidth: 320 }}
          value={filter.staffId}
          onChange={(staffId?: string) => refine({ staffId })}
          options={staff.data?.staff.map((member) => ({
            value: member.staffId,
            label: `${member.name} · ${t(`role.${member.role}`)}`,
          }))}
        />
        <DatePicker.RangePicker
          aria-label={t('audit.dates')}
          style={{ flex: '1 1 240px', maxWidth: 320 }}
          onChange={(days) => refine({ from: undefined, to: undefined, ...rangeOf(days) })}
        />
      </Flex>
      {log.error ? (
        <QueryProblem title={t('audit.loadFailed')} error={log.error} onRetry={() => log.refetch()} />
      ) : (
        <Table<AuditEntry>
          rowKey={(entry) => `${entry.at}${entry.requestId}`}
          loading={log.isFetching}
          dataSource={log.data?.entries}
          pagination={false}
          size="small"
          columns={[
            {
              title: t('audit.when'),
              dataIndex: 'at',
              render: (at: string) => dayjs(at).format('MM-DD HH:mm:ss'),
            },
            {
              title: t('audit.who'),
              key: 'actor',
              render: (_, { actor, role }) => (
                <Flex vertical>
                  <Typography.Text>
                    {actor.kind === 'api-key' ? t('audit.apiKey', { id: actor.id.slice(-4) }) : actor.name}
                  </Typography.Text>
                  <Typography.Text type="secondary">{t(`role.${role}`)}</Typography.Text>
                </Flex>
              ),
            },
            {
              title: t('audit.what'),
              dataIndex: 'route',
              render: (route: string, { status }) => {
                const action = `action.${route}`;
                return (
                  <Flex vertical align="flex-start" gap={2}>
                    <Typography.Text>{isMessageKey(action) ? t(action) : route}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                      {route}
                    </Typography.Text>
                    <Tag color={status < 300 ? 'green' : 'red'}>{status}</Tag>
                  </Flex>
                );
              },
            },
            {
              title: t('audit.ids'),
              dataIndex: 'ids',
              responsive: ['lg'],
              render: (ids: AuditEntry['ids']) =>
                Object.entries(ids).map(([name, id]) => (
                  <div key={name}>
                    <Typography.Text type="secondary">{name}</Typography.Text> {id}
                  </div>
                )),
            },
          ]}
        />
      )}
      <CursorPager pages={pages} nextCursor={log.data?.cursor} loading={log.isFetching} />
    </Flex>
  );
}
