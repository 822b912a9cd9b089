import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Spin, Typography } from 'antd';
import { useT } from '../../../lib/i18n';
import { usePhoneScreen } from '../../../lib/use-phone-screen';
import type { CalendarDay, CalendarPreview } from '../api/care';
import { addDays, calendarLength, weekdayOf } from '../calendar-days';

export type OccasionName = (occasion: string) => string;

const occasionColor = (occasion: string): string =>
  occasion.startsWith('festival:')
    ? '#cf1322'
    : occasion.startsWith('special:')
      ? '#d46b08'
      : occasion.startsWith('birthday')
        ? '#c41d7f'
        : occasion === 'anniversary'
          ? '#531dab'
          : '#096dd9';

const totalOf = (day: CalendarDay) => day.occasions.reduce((sum, o) => sum + o.count, 0);

/** One day: its date, and its texts to send by occasion (on a phone only their total). */
function DayCell({
  day,
  today,
  first,
  selected,
  festivals,
  occasionName,
  onOpen,
}: {
  day: CalendarDay;
  /** The festivals on the day, greeted or not: a merchant planning ahead sees them coming. */
  festivals: string[];
  today: string;
  first: boolean;
  selected: boolean;
  occasionName: OccasionName;
  onOpen: (date: string) => void;
}) {
  const t = useT();
  const phone = usePhoneScreen();
  const sending = day.occasions.filter((o) => o.count > 0);
  const summary =
    sending.length === 0
      ? t('care.noTexts')
      : sending.map((o) => `${occasionName(o.occasion)} ${o.count}`).join(', ');
  const monthDay = day.date.slice(5);
  const label = first || day.date.endsWith('-01') ? monthDay : String(Number(day.date.slice(8)));
  const total = totalOf(day);
  const greeted = new Set(sending.map((o) => occasionName(o.occasion)));
  const quiet = festivals.filter((name) => !greeted.has(name));
  return (
    <button
      type="button"
      aria-label={t('care.cellLabel', { date: day.date, summary })}
      aria-pressed={selected}
      onClick={() => onOpen(day.date)}
      style={{
        minWidth: 0,
        minHeight: phone ? 52 : 76,
        padding: phone ? 4 : 6,
        textAlign: 'left',
        verticalAlign: 'top',
        cursor: 'pointer',
        borderRadius: 6,
        border: selected ? '2px solid #1677ff' : '1px solid rgba(5,5,5,0.12)',
        background: total > 0 ? '#fff7f0' : '#fff',
        font: 'inherit',
        display: 'flex',
        flexDirection: 'column',
        gap: 2,
        overflow: 'hidden',
      }}
    >
      <span style={{ fontSize: 12, fontWeight: day.date === today ? 700 : 400 }}>
        {day.date === today ? <span style={{ color: '#1677ff' }}>{label}</span> : label}
      </span>
      {phone
        ? total > 0 && (
            <span style={{ fontSize: 13, fontWeight: 600, color: occasionColor(sending[0]?.occasion ?? '') }}>
              {total}
            </span>
          )
        : sending.slice(0, 3).map((o) => (
            <span
              key={o.occasion}
              style={{
                fontSize: 12,
                lineHeight: '16px',
                color: occasionColor(o.occasion),
                whiteSpace: 'nowrap',
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                maxWidth: '100%',
              }}
            >
              {occasionName(o.occasion)} {o.count}
            </span>
          ))}
      {!phone &&
        quiet.map((name) => (
          <span key={name} style={{ fontSize: 12, lineHeight: '16px', color: 'rgba(0,0,0,0.45)' }}>
            {name}
          </span>
        ))}
      {!phone && sending.length > 3 && (
        <span style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>+{sending.length - 3}</span>
      )}
    </button>
  );
}

/**
 * The 30 days of the dry run, a week a row from Monday: per day the texts that would go by occasion.
 * A day opens its texts. What it shows is the draft being edited, not yet saved, when `draft`.
 */
export function CareCalendar({
  preview,
  from,
  today,
  fetching,
  problem,
  selected,
  festivalsOn,
  occasionName,
  onOpen,
  onMove,
}: {
  preview: CalendarPreview | undefined;
  from: string;
  today: string;
  fetching: boolean;
  problem: boolean;
  selected: string | undefined;
  /** The festivals' names by date. */
  festivalsOn: ReadonlyMap<string, string[]>;
  occasionName: OccasionName;
  onOpen: (date: string) => void;
  onMove: (from: string) => void;
}) {
  const t = useT();
  const days = preview?.from === from ? preview.days : undefined;
  const weekdays = t('care.weekdays').split(',');
  const through = addDays(from, calendarLength - 1);
  return (
    <Card
      size="small"
      title={t('care.calendar')}
      extra={fetching ? <Spin size="small" /> : null}
      styles={{ body: { padding: 8 } }}
    >
      <Flex align="center" justify="space-between" gap={8} wrap style={{ marginBottom: 8 }}>
        <Typography.Text>{t('care.calendarRange', { from, through })}</Typography.Text>
        <Flex gap={4}>
          <Button
            size="small"
            icon={<LeftOutlined />}
            aria-label={t('care.previous')}
            onClick={() => onMove(addDays(from, -calendarLength))}
          />
          <Button size="small" disabled={from === today} onClick={() => onMove(today)}>
            {t('care.today')}
          </Button>
          <Button
            size="small"
            icon={<RightOutlined />}
            aria-label={t('care.next')}
            onClick={() => onMove(addDays(from, calendarLength))}
          />
        </Flex>
      </Flex>
      {problem && (
        <Alert type="warning" showIcon title={t('care.previewFailed')} style={{ marginBottom: 8 }} />
      )}
      <section
        aria-label={t('care.calendar')}
        style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 4 }}
      >
        {weekdays.map((weekday) => (
          <div key={weekday} style={{ textAlign: 'center', fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
            {weekday}
          </div>
        ))}
        {Array.from({ length: weekdayOf(from) }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: blanks before the first day have no identity
          <div key={`blank-${i}`} />
        ))}
        {days
          ? days.map((day, i) => (
              <DayCell
                key={day.date}
                day={day}
                today={today}
                first={i === 0}
                selected={day.date === selected}
                festivals={festivalsOn.get(day.date) ?? []}
                occasionName={occasionName}
                onOpen={onOpen}
              />
            ))
          : null}
      </section>
      {!days && !problem && (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      )}
    </Card>
  );
}
