import { Tag } from 'antd';
import { useT } from '../../../lib/i18n';
import type { Ticket } from '../api/tickets';

const typeColor = { complaint: 'red', feedback: 'blue', suggestion: 'purple' } as const;
const statusColor = { open: 'orange', answered: 'green', closed: 'default' } as const;

export function TicketType({ type }: { type: Ticket['type'] }) {
  const t = useT();
  return <Tag color={typeColor[type]}>{t(`tickets.type.${type}`)}</Tag>;
}

export function TicketStatusTag({ status }: { status: Ticket['status'] }) {
  const t = useT();
  return <Tag color={statusColor[status]}>{t(`tickets.status.${status}`)}</Tag>;
}
