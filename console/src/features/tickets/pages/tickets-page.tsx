import { Flex, List, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useT } from '../../../lib/i18n';
import { type TicketStatus, useTickets } from '../api/tickets';
import { TicketType } from '../components/ticket-tags';

const statuses: readonly TicketStatus[] = ['open', 'answered', 'closed'];
export const ticketPath = (ticketId: string) => `/tickets/${ticketId}`;

/** Feedback, complaints and suggestions members texted: waiting for an answer, answered, closed. */
export function TicketsPage() {
  const t = useT();
  const [search, setSearch] = useSearchParams();
  const status = statuses.find((s) => s === search.get('status')) ?? 'open';
  const pages = useCursorPages();
  const list = useTickets(status, pages.cursor);

  return (
    <Flex vertical gap={8}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('menu.tickets')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('tickets.about')}</Typography.Text>
      <Tabs
        activeKey={status}
        onChange={(key) => {
          pages.reset();
          setSearch({ status: key });
        }}
        items={statuses.map((s) => ({ key: s, label: t(`tickets.tab.${s}`) }))}
      />
      {list.error ? (
        <QueryProblem title={t('tickets.loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <>
          <List
            loading={list.isFetching}
            dataSource={list.data?.tickets}
            locale={{ emptyText: t(`tickets.none.${status}`) }}
            renderItem={(ticket) => (
              <List.Item>
                <Flex vertical gap={4} style={{ minWidth: 0, width: '100%' }}>
                  <Flex gap={8} align="center" wrap>
                    <Link
                      to={ticketPath(ticket.ticketId)}
                      aria-label={t('tickets.open', { n: ticket.ticketId })}
                    >
                      <Typography.Text strong>#{ticket.ticketId}</Typography.Text>
                    </Link>
                    <TicketType type={ticket.type} />
                    <Typography.Text type="secondary">{ticket.phone}</Typography.Text>
                    <Typography.Text type="secondary">
                      {dayjs(ticket.openedAt).format('YYYY-MM-DD HH:mm')}
                    </Typography.Text>
                  </Flex>
                  <Link to={ticketPath(ticket.ticketId)}>
                    <Typography.Text ellipsis style={{ maxWidth: '100%' }}>
                      {ticket.message}
                    </Typography.Text>
                  </Link>
                </Flex>
              </List.Item>
            )}
          />
          <CursorPager pages={pages} nextCursor={list.data?.cursor} loading={list.isFetching} />
        </>
      )}
    </Flex>
  );
}
