import { Tag } from 'antd';
import { useT } from '../../../lib/i18n';
import type { CampaignStatus } from '../api/campaigns';

const colors: Record<CampaignStatus, string> = {
  draft: 'default',
  scheduled: 'blue',
  running: 'processing',
  waiting: 'gold',
  paused: 'orange',
  completed: 'green',
  cancelled: 'red',
};

/** Where a campaign stands, in a coloured tag. */
export function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  const t = useT();
  return <Tag color={colors[status]}>{t(`campaigns.status.${status}`)}</Tag>;
}
