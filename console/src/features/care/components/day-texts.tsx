import { Drawer, Empty, Flex, List, Spin, Tag, Typography } from 'antd';
import { useT } from '../../../lib/i18n';
import { usePhoneScreen } from '../../../lib/use-phone-screen';
import type { CalendarDay } from '../api/care';
import type { OccasionName } from './care-calendar';

/** The texts of one day of the dry run: who, which occasion, the text as signed, and what would stop it. */
export function DayTexts({
  date,
  day,
  failed,
  occasionName,
  onClose,
}: {
  date: string | undefined;
  /** The day as the dry run gave it, with its texts; undefined while asked. */
  day: CalendarDay | undefined;
  /** The dry run was refused (a draft with a problem): its texts will not come. */
  failed: boolean;
  occasionName: OccasionName;
  onClose: () => void;
}) {
  const t = useT();
  const phone = usePhoneScreen();
  const count = day?.occasions.reduce((sum, o) => sum + o.count, 0) ?? 0;
  const skipped = day?.occasions.reduce((sum, o) => sum + o.skipped, 0) ?? 0;
  return (
    <Drawer
      open={date !== undefined}
      onClose={onClose}
      title={date ? t('care.dayTitle', { date }) : ''}
      placement={phone ? 'bottom' : 'right'}
      size={phone ? '80%' : 520}
      destroyOnHidden
    >
      {failed && !day ? (
        <Empty description={t('care.previewFailed')} />
      ) : !day ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : day.texts?.length ? (
        <>
          <Flex gap={6} wrap style={{ marginBottom: 12 }}>
            {day.occasions.map((o) => (
              <Tag key={o.occasion} bordered={false} color="volcano">
                {occasionName(o.occasion)} {o.count}
              </Tag>
            ))}
            <Typography.Text type="secondary">{t('care.dayTotal', { count, skipped })}</Typography.Text>
          </Flex>
          <List
            aria-label={date ? t('care.dayTitle', { date }) : undefined}
            dataSource={day.texts}
            renderItem={(text) => (
              <List.Item>
                <Flex vertical gap={4} style={{ width: '100%', minWidth: 0 }}>
                  <Flex gap={8} wrap align="center">
                    <Typography.Text strong>{text.to}</Typography.Text>
                    <Tag bordered={false}>{occasionName(text.occasion)}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('care.segments', { n: text.segments })}
                    </Typography.Text>
                  </Flex>
                  <Typography.Text style={{ overflowWrap: 'anywhere' }} delete={text.skipped !== undefined}>
                    {text.text}
                  </Typography.Text>
                  {text.skipped && <Tag color="warning">{t('care.skipped', { reason: text.skipped })}</Tag>}
                </Flex>
              </List.Item>
            )}
          />
          {day.textsLeftOut ? (
            <Typography.Text type="secondary">{t('care.leftOut', { n: day.textsLeftOut })}</Typography.Text>
          ) : null}
        </>
      ) : (
        <Empty description={t('care.dayEmpty')} />
      )}
    </Drawer>
  );
}
