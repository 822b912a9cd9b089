import { SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, Flex, Form, Row, Typography } from 'antd';
import { useCallback, useMemo, useRef, useState } from 'react';
import { ApiProblem } from '../../../components/api-problem';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { isMessageKey, useLanguage, useT } from '../../../lib/i18n';
import { useDebounced } from '../../../lib/use-debounced';
import {
  type CareSettings,
  type Festival,
  useBenefits,
  useCalendar,
  useCareSettings,
  useFestivals,
  useSaveCareSettings,
  useTiers,
} from '../api/care';
import { type CareFields, type DefaultTexts, toFields, toSettings } from '../care-form';
import { CareCalendar } from '../components/care-calendar';
import { DayTexts } from '../components/day-texts';
import { FestivalFields } from '../components/festival-fields';
import { GreetingFields } from '../components/greeting-fields';
import { ReminderFields, SendingFields } from '../components/reminder-fields';
import { SpecialDayFields } from '../components/special-day-fields';
import { useCareIssues } from '../use-care-issues';

/** The care automations: one editor for every greeting and reminder, beside the calendar of its dry run. */
export function CarePage() {
  const t = useT();
  const settings = useCareSettings();
  const festivals = useFestivals();
  const tiers = useTiers();
  const benefits = useBenefits();
  const failed = settings.error ?? festivals.error;
  if (failed) {
    const retry = () => Promise.all([settings.refetch(), festivals.refetch()]);
    return <QueryProblem title={t('care.loadFailed')} error={failed} onRetry={retry} />;
  }
  if (settings.data === undefined || !festivals.data) return <PageLoading />;
  return (
    <CareEditor
      saved={settings.data}
      festivals={festivals.data.festivals}
      today={festivals.data.today}
      tiers={tiers.data ?? []}
      benefits={benefits.data ?? []}
    />
  );
}

function useDefaultTexts(): DefaultTexts {
  const t = useT();
  return useMemo(
    () => ({
      birthday: t('care.default.birthday'),
      followUp: t('care.default.followUp'),
      anniversary: t('care.default.anniversary'),
      festival: t('care.default.festival'),
      specialDay: t('care.default.specialDay'),
      pointsExpiring: t('care.default.pointsExpiring'),
      lowBalance: t('care.default.lowBalance'),
      packageEnding: t('care.default.packageEnding'),
      countCardExpiring: t('care.default.countCardExpiring'),
    }),
    [t],
  );
}

/**
 * The editor holds a draft: every change is previewed in the calendar (a dry run of the draft, asked
 * as typing rests) and nothing is saved until the save button sends it, one save at a time.
 */
function CareEditor({
  saved,
  festivals,
  today,
  tiers,
  benefits,
}: {
  saved: CareSettings | null;
  festivals: Festival[];
  today: string;
  tiers: { code: string; name: string }[];
  benefits: { code: string; name: string }[];
}) {
  const t = useT();
  const { language } = useLanguage();
  const { message } = App.useApp();
  // The texts the editor starts from, as they were when it opened: switching the language later
  // changes no greeting, so it does not make the draft differ from what is saved.
  const [defaults] = useState(useDefaultTexts());
  const codes = useMemo(() => festivals.map((f) => f.code), [festivals]);
  const savedFields = useMemo(() => toFields(saved, defaults, codes), [saved, defaults, codes]);
  const [form] = Form.useForm<CareFields>();
  const [fields, setFields] = useState(savedFields);
  const draft = useMemo(() => toSettings(fields), [fields]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(toSettings(savedFields));
  const previewed = useDebounced(draft, 500);

  const [from, setFrom] = useState(today);
  const [opened, setOpened] = useState<string>();
  const calendar = useCalendar({ settings: previewed, from });
  // A draft the API refuses leaves the last calendar it gave on screen, under the refusal.
  const lastCalendar = useRef(calendar.data);
  if (calendar.data) lastCalendar.current = calendar.data;
  const day = useCalendar(opened ? { settings: previewed, from, textsOn: opened } : undefined);
  // Until the day asked for has come, the answer kept on screen is another day's (without texts).
  const openedDay = day.data?.days.find((d) => d.date === opened);
  const previewProblem = useCareIssues(form, calendar.error, previewed, 'settings.');

  const save = useSaveCareSettings();
  const saving = useRef(false);
  // The settings as sent: a refusal's paths name their festivals by index.
  const [sent, setSent] = useState(draft);
  const saveProblem = useCareIssues(form, save.error, sent);

  const occasionName = useCallback(
    (occasion: string) => {
      const [kind, code] = occasion.split(':');
      if (kind === 'festival') {
        const festival = festivals.find((f) => f.code === code);
        return festival ? (language === 'zh-CN' ? festival.name.zh : festival.name.en) : occasion;
      }
      if (kind === 'special') return fields.specialDays.find((d) => d.code === code)?.name ?? occasion;
      const key = `care.occasion.${occasion}`;
      return isMessageKey(key) ? t(key) : occasion;
    },
    [festivals, fields.specialDays, language, t],
  );

  const festivalsOn = useMemo(() => {
    const names = new Map<string, string[]>();
    for (const festival of festivals) {
      const name = language === 'zh-CN' ? festival.name.zh : festival.name.en;
      for (const { date } of festival.dates) names.set(date, [...(names.get(date) ?? []), name]);
    }
    return names;
  }, [festivals, language]);

  async function submit() {
    // A second click while the first save is on its way sends nothing more.
    if (saving.current) return;
    saving.current = true;
    try {
      await form.validateFields();
      setSent(draft);
      await save.mutateAsync(draft);
      message.success(t('care.saved'));
    } catch {
      // Shown at the fields (or above them) from the refusal.
    } finally {
      saving.current = false;
    }
  }

  function discard() {
    form.resetFields();
    form.setFieldsValue(savedFields);
    setFields(savedFields);
  }

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.care')}
        </Typography.Title>
        <Flex gap={8} align="center" wrap>
          <Typography.Text type={dirty ? 'warning' : 'secondary'} role="status">
            {dirty ? t('care.draft') : t('care.clean')}
          </Typography.Text>
          {dirty && <Button onClick={discard}>{t('care.discard')}</Button>}
          <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} onClick={submit}>
            {t('care.save')}
          </Button>
        </Flex>
      </Flex>
      {saved === null && <Alert type="info" showIcon title={t('care.notSetUp')} />}
      {saveProblem ? <ApiProblem title={t('care.saveFailed')} error={saveProblem} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={{ span: 24, order: 2 }} xl={{ span: 12, order: 1 }}>
          <Form<CareFields>
            form={form}
            name="care"
            layout="vertical"
            requiredMark={false}
            initialValues={savedFields}
            onValuesChange={() => setFields(form.getFieldsValue(true))}
          >
            <Flex vertical gap={16}>
              <GreetingFields benefits={benefits} />
              <FestivalFields festivals={festivals} tiers={tiers} />
              <SpecialDayFields tiers={tiers} defaultText={defaults.specialDay} />
              <ReminderFields />
              <SendingFields />
            </Flex>
          </Form>
        </Col>
        <Col xs={{ span: 24, order: 1 }} xl={{ span: 12, order: 2 }}>
          <div style={{ position: 'sticky', top: 16 }}>
            <CareCalendar
              preview={calendar.data ?? lastCalendar.current}
              from={from}
              today={today}
              fetching={calendar.isFetching}
              problem={calendar.isError}
              selected={opened}
              festivalsOn={festivalsOn}
              occasionName={occasionName}
              onOpen={setOpened}
              onMove={setFrom}
            />
            {previewProblem && calendar.isError ? (
              <div style={{ marginTop: 8 }}>
                <ApiProblem title={t('care.previewFailed')} error={previewProblem} />
              </div>
            ) : null}
          </div>
        </Col>
      </Row>
      <DayTexts
        date={opened}
        day={openedDay?.texts ? openedDay : undefined}
        failed={day.isError}
        occasionName={occasionName}
        onClose={() => setOpened(undefined)}
      />
    </Flex>
  );
}
