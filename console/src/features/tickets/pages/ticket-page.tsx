import { ArrowLeftOutlined, MessageOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Popconfirm, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem } from '../../../components/api-problem';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { useCloseTicket, useTicket } from '../api/tickets';
import { AnswerForm } from '../components/answer-form';
import { Conversation } from '../components/conversation';
import { TicketStatusTag, TicketType } from '../components/ticket-tags';

/** One ticket: the member's text and the answers so far; answer by text, or close it for good. */
export function TicketPage() {
  const t = useT();
  const ticketId = useParams().ticketId ?? '';
  const ticket = useTicket(ticketId);
  const close = useCloseTicket();
  const [answering, setAnswering] = useState(false);

  if (ticket.error) {
    return (
      <QueryProblem
        title={t('tickets.loadOneFailed')}
        error={ticket.error}
        onRetry={() => ticket.refetch()}
      />
    );
  }
  const shown = ticket.data;
  return (
    <Flex vertical gap={16}>
      <Link to={`/tickets?status=${shown?.status ?? 'open'}`}>
        <ArrowLeftOutlined /> {t('menu.tickets')}
      </Link>
      <Card loading={!shown}>
        {shown && (
          <Flex vertical gap={16}>
            <Flex gap={8} align="center" wrap>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {t('tickets.title', { n: shown.ticketId })}
              </Typography.Title>
              <TicketType type={shown.type} />
              <TicketStatusTag status={shown.status} />
            </Flex>
            <Typography.Text type="secondary">
              <Link to={`/members/${encodeURIComponent(shown.phone)}`}>{shown.phone}</Link>
              {shown.closedAt &&
                ` · ${t('tickets.closedAt', { at: dayjs(shown.closedAt).format('YYYY-MM-DD HH:mm') })}`}
            </Typography.Text>
            <Conversation ticket={shown} />
            {shown.status !== 'closed' &&
              (answering ? (
                <AnswerForm ticketId={shown.ticketId} onDone={() => setAnswering(false)} />
              ) : (
                <Flex gap={8} justify="flex-end" wrap>
                  <Popconfirm
                    title={t('tickets.closeConfirm', { n: shown.ticketId })}
                    description={t('tickets.closeHint')}
                    okText={t('tickets.close')}
                    onConfirm={() => close.mutateAsync(shown.ticketId).catch(() => undefined)}
                  >
                    <Button loading={close.isPending}>{t('tickets.close')}</Button>
                  </Popconfirm>
                  <Button type="primary" icon={<MessageOutlined />} onClick={() => setAnswering(true)}>
                    {t('tickets.reply')}
                  </Button>
                </Flex>
              ))}
            {close.error && <ApiProblem title={t('tickets.closeFailed')} error={close.error} />}
          </Flex>
        )}
      </Card>
    </Flex>
  );
}
