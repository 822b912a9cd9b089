import { Flex, Input, InputNumber, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { nextRuns, parseAwsCron, recurrenceProblem } from '../../../shared/domain/aws-cron';
import { useLanguage, useT } from '../lib/i18n';

/**
 * A recurring schedule, as EventBridge Scheduler reads it (`minutes hours day-of-month month
 * day-of-week year`), written by a preset (every day, a weekday, a day of the month at a time) or
 * typed; under it, its next five firings in the shop's time zone, computed by the same code the API
 * checks it with. Campaigns and reminders use it alike.
 */

type Preset = 'daily' | 'weekly' | 'monthly' | 'custom';
interface Simple {
  preset: Preset;
  /** HH:mm */
  time: string;
  /** AWS numbers weekdays 1 (SUN) to 7 (SAT). */
  weekday: number;
  day: number;
}

const weekdayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const initial: Simple = { preset: 'daily', time: '10:00', weekday: 2, day: 1 };

function expressionOf({ preset, time, weekday, day }: Simple): string {
  const [hours = '10', minutes = '00'] = time.split(':');
  const at = `${Number(minutes)} ${Number(hours)}`;
  if (preset === 'weekly') return `${at} ? * ${weekdayNames[weekday - 1] ?? 'MON'} *`;
  if (preset === 'monthly') return `${at} ${day} * ? *`;
  return `${at} * * ? *`;
}

/** The expression a new schedule starts from: every day at 10:00. */
export const defaultCron = expressionOf(initial);

/** Why the expression cannot be scheduled from now, in the API's words, or nothing when it can. */
export function cronProblem(expression: string, timeZone: string, now = new Date()): string | undefined {
  const parsed = parseAwsCron(expression, timeZone);
  if (!parsed.ok) return parsed.reason;
  return recurrenceProblem(expression, timeZone, now);
}

/** The next five firings, as the shop's clock shows them; none when the expression is refused. */
function firings(expression: string, timeZone: string, language: string): string[] {
  if (cronProblem(expression, timeZone)) return [];
  const when = new Intl.DateTimeFormat(language, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const weekday = new Intl.DateTimeFormat(language, { timeZone, weekday: 'short' });
  return nextRuns(expression, timeZone, new Date(), 5).map(
    (run) => `${when.format(run)} ${weekday.format(run)}`,
  );
}

interface CronFieldProps {
  id?: string;
  /** The expression; a form item passes it. */
  value?: string;
  onChange?: (expression: string) => void;
  /** The shop's time zone, which the expression is read in. */
  timeZone: string;
}

/** The form rule for a cron field: an expression the API would refuse, refused with its reason. */
export function cronRule(timeZone: string) {
  return {
    validator: async (_: unknown, expression: string) => {
      const problem = cronProblem(expression, timeZone);
      if (problem) throw new Error(problem);
    },
  };
}

export function CronField({ id, value = defaultCron, onChange, timeZone }: CronFieldProps) {
  const t = useT();
  const { language } = useLanguage();
  const [simple, setSimple] = useState<Simple>(() =>
    value === defaultCron ? initial : { ...initial, preset: 'custom' },
  );
  const change = (next: Partial<Simple>) => {
    const merged = { ...simple, ...next };
    setSimple(merged);
    if (merged.preset !== 'custom') onChange?.(expressionOf(merged));
  };
  const next = useMemo(() => firings(value, timeZone, language), [value, timeZone, language]);

  return (
    <Flex vertical gap={8}>
      <Flex gap={8} wrap align="center">
        <Select<Preset>
          aria-label={t('cron.preset')}
          value={simple.preset}
          style={{ width: 150 }}
          onChange={(preset) => change({ preset })}
          options={(['daily', 'weekly', 'monthly', 'custom'] as const).map((preset) => ({
            value: preset,
            label: t(`cron.${preset}`),
          }))}
        />
        {simple.preset === 'weekly' && (
          <Select<number>
            aria-label={t('cron.weekday')}
            value={simple.weekday}
            style={{ width: 110 }}
            onChange={(weekday) => change({ weekday })}
            options={weekdayNames.map((name, i) => ({ value: i + 1, label: t(`cron.weekday.${name}`) }))}
          />
        )}
        {simple.preset === 'monthly' && (
          <InputNumber
            aria-label={t('cron.day')}
            min={1}
            max={28}
            precision={0}
            value={simple.day}
            suffix={t('cron.daySuffix')}
            style={{ width: 110 }}
            onChange={(day) => typeof day === 'number' && change({ day })}
          />
        )}
        {simple.preset !== 'custom' && (
          <Input
            type="time"
            aria-label={t('cron.time')}
            value={simple.time}
            style={{ width: 120 }}
            onChange={(event) => event.target.value && change({ time: event.target.value })}
          />
        )}
      </Flex>
      {simple.preset === 'custom' ? (
        <Input
          id={id}
          value={value}
          placeholder="0 10 ? * MON *"
          spellCheck={false}
          style={{ fontFamily: 'monospace' }}
          onChange={(event) => onChange?.(event.target.value)}
        />
      ) : (
        <Typography.Text id={id} type="secondary">
          {t('cron.expression')} <Typography.Text code>{value}</Typography.Text>
        </Typography.Text>
      )}
      <Typography.Text type="secondary">{t('cron.help', { zone: timeZone })}</Typography.Text>
      {next.length > 0 && (
        <section aria-label={t('cron.nextFirings')}>
          <Typography.Text strong>{t('cron.nextFirings')}</Typography.Text>
          <ol style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
            {next.map((when) => (
              <li key={when}>{when}</li>
            ))}
          </ol>
        </section>
      )}
    </Flex>
  );
}
