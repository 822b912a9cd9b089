import { Flex, Typography, theme } from 'antd';
import dayjs from 'dayjs';
import { useT } from '../../../lib/i18n';
import type { Ticket } from '../api/tickets';

function Bubble({ mine, text, at, who }: { mine: boolean; text: string; at: string; who: string }) {
  const { token } = theme.useToken();
  return (
    <Flex vertical align={mine ? 'flex-end' : 'flex-start'} gap={2}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {who} · {dayjs(at).format('YYYY-MM-DD HH:mm')}
      </Typography.Text>
      <div
        style={{
          maxWidth: 'min(560px, 85%)',
          padding: '8px 12px',
          borderRadius: 12,
          background: mine ? token.colorPrimaryBg : token.colorFillTertiary,
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
        }}
      >
        {text}
      </div>
    </Flex>
  );
}

/** The member's text and every answer the shop texted, in order: the member's on the left. */
export function Conversation({ ticket }: { ticket: Ticket }) {
  const t = useT();
  return (
    <Flex vertical gap={12} role="log" aria-label={t('tickets.conversation')}>
      <Bubble mine={false} text={ticket.message} at={ticket.openedAt} who={ticket.phone} />
      {ticket.answers.map((answer) => (
        <Bubble
          key={answer.n}
          mine
          text={answer.text}
          at={answer.answeredAt}
          who={t('tickets.answerN', { n: answer.n })}
        />
      ))}
    </Flex>
  );
}
