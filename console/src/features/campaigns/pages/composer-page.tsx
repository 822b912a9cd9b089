import { ArrowLeftOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Flex, Form, Input, InputNumber, Radio, Row, Select, Typography } from 'antd';
import { useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ulid } from 'ulidx';
import { CronField, cronRule, defaultCron } from '../../../components/cron-field';
import { FormProblem } from '../../../components/form-problem';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { instantIn, wallIn } from '../../../lib/zoned-time';
import {
  type MadeDraft,
  type NewCampaign,
  saveDraft,
  scheduleCampaign,
  testCampaign,
  useAudienceChoices,
  useCampaignWrite,
  useSendingZone,
  useSurveyChoices,
  useTemplateChoices,
} from '../api/composer';
import { ComposerEstimate } from '../components/composer-estimate';
import { campaignPath } from './campaigns-page';

interface ComposerFields {
  name: string;
  content: 'template' | 'survey';
  templateId?: string;
  surveyId?: string;
  audienceId?: string;
  when: 'now' | 'at' | 'recurring';
  /** YYYY-MM-DDTHH:mm in the shop's time zone. */
  at?: string;
  cron: string;
  holdoutPercent: number;
  testPhones: string[];
}
const fields = [
  'name',
  'templateId',
  'surveyId',
  'audienceId',
  'at',
  'cron',
  'holdoutPercent',
  'testPhones',
] as const;
/** Where the API's paths show on this form. */
const fieldOf = {
  'audience.audienceId': 'audienceId',
  audience: 'audienceId',
  'schedule.at': 'at',
  'schedule.cron': 'cron',
  schedule: 'at',
};

function bodyOf(values: ComposerFields, timeZone: string): Omit<NewCampaign, 'campaignId'> {
  const schedule: NewCampaign['schedule'] =
    values.when === 'at'
      ? { kind: 'at', at: instantIn(values.at ?? '', timeZone) }
      : values.when === 'recurring'
        ? { kind: 'recurring', cron: { expression: values.cron } }
        : { kind: 'now' };
  return {
    name: values.name,
    ...(values.content === 'survey' ? { surveyId: values.surveyId } : { templateId: values.templateId }),
    audience: { audienceId: values.audienceId ?? '' },
    schedule,
    holdoutPercent: values.holdoutPercent ?? 0,
    testPhones: values.testPhones ?? [],
  };
}

/**
 * `/campaigns/new`: a template or a survey (`?survey=<id>` picks one), a saved audience, when it goes
 * (now, at a time, or on a cron with its next firings), a holdout, test phones and a test send, the
 * expected recipients, parts and cost, then scheduling. The draft is created under an id made when
 * the page opened, so a double click or a retry schedules one campaign.
 */
export function ComposerPage() {
  const t = useT();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const presetSurvey = search.get('survey') ?? undefined;
  const templates = useTemplateChoices();
  const surveys = useSurveyChoices();
  const audiences = useAudienceChoices();
  const zone = useSendingZone();
  const [form] = Form.useForm<ComposerFields>();
  const [campaignId] = useState(() => ulid());
  const made = useRef<MadeDraft | undefined>(undefined);
  const scheduling = useRef(false);

  const save = async (values: ComposerFields, timeZone: string) => {
    const saved = await saveDraft(made.current, campaignId, ulid, bodyOf(values, timeZone));
    made.current = { campaignId: saved.campaign.campaignId, surveyId: saved.campaign.surveyId };
    return saved.campaign.campaignId;
  };
  const test = useCampaignWrite(async ({ values, timeZone }: { values: ComposerFields; timeZone: string }) =>
    testCampaign(await save(values, timeZone)),
  );
  const schedule = useCampaignWrite(
    async ({ values, timeZone }: { values: ComposerFields; timeZone: string }) =>
      scheduleCampaign(await save(values, timeZone)),
  );

  const content = Form.useWatch('content', form);
  const when = Form.useWatch('when', form);
  const templateId = Form.useWatch('templateId', form);
  const surveyId = Form.useWatch('surveyId', form);
  const audienceId = Form.useWatch('audienceId', form);
  const holdout = Form.useWatch('holdoutPercent', form);
  const phones = Form.useWatch('testPhones', form);

  const failed = templates.error ?? surveys.error ?? audiences.error ?? zone.error;
  if (failed) {
    return <QueryProblem title={t('composer.loadFailed')} error={failed} onRetry={() => zone.refetch()} />;
  }
  if (!zone.data) return <PageLoading />;
  const { timeZone } = zone.data;
  const openSurveys = (surveys.data?.surveys ?? []).filter((s) => s.status === 'open');
  const survey = openSurveys.find((s) => s.surveyId === surveyId);
  const firstQuestion = survey?.questions[0]?.prompt ?? '';
  const text =
    content === 'survey'
      ? survey && { body: `${survey.intro}\n${firstQuestion}`.slice(0, 500), category: 'marketing' as const }
      : templateId
        ? { templateId }
        : undefined;

  async function submit(values: ComposerFields) {
    // A second click while the first is on its way does nothing; the draft's id covers a retry.
    if (scheduling.current) return;
    scheduling.current = true;
    try {
      const scheduled = await schedule.mutateAsync({ values, timeZone });
      navigate(campaignPath(scheduled.campaign.campaignId));
    } catch {
      // Shown by FormProblem at its fields.
    } finally {
      scheduling.current = false;
    }
  }
  async function sendTest() {
    const values = await form.validateFields().catch(() => undefined);
    if (values) test.mutate({ values, timeZone });
  }

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={8}>
        <Link to="/campaigns" aria-label={t('campaigns.back')}>
          <ArrowLeftOutlined />
        </Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('composer.title')}
        </Typography.Title>
      </Flex>
      <Form<ComposerFields>
        form={form}
        name="composer"
        layout="vertical"
        requiredMark={false}
        initialValues={{
          content: presetSurvey ? 'survey' : 'template',
          surveyId: presetSurvey,
          when: 'now',
          at: wallIn(timeZone, 60),
          cron: defaultCron,
          holdoutPercent: 0,
          testPhones: [],
        }}
        onFinish={submit}
      >
        <Row gutter={[24, 0]}>
          <Col xs={24} lg={15}>
            <Form.Item
              label={t('campaigns.name')}
              name="name"
              rules={[{ required: true, whitespace: true, message: t('composer.nameRequired') }]}
            >
              <Input maxLength={60} autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('composer.content')} name="content">
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'template', label: t('composer.template') },
                  { value: 'survey', label: t('composer.survey') },
                ]}
              />
            </Form.Item>
            {content === 'survey' ? (
              <Form.Item
                label={t('composer.survey')}
                name="surveyId"
                rules={[{ required: true, message: t('composer.surveyRequired') }]}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={surveys.isLoading}
                  notFoundContent={t('composer.noSurveys')}
                  options={openSurveys.map((s) => ({ value: s.surveyId, label: s.name }))}
                />
              </Form.Item>
            ) : (
              <Form.Item
                label={t('composer.template')}
                name="templateId"
                rules={[{ required: true, message: t('composer.templateRequired') }]}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={templates.isLoading}
                  notFoundContent={t('composer.noTemplates')}
                  options={(templates.data?.templates ?? []).map((tpl) => ({
                    value: tpl.templateId,
                    label: tpl.name,
                  }))}
                />
              </Form.Item>
            )}
            <Form.Item
              label={t('campaigns.audience')}
              name="audienceId"
              rules={[{ required: true, message: t('composer.audienceRequired') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={audiences.isLoading}
                notFoundContent={t('composer.noAudiences')}
                options={(audiences.data?.audiences ?? []).map((a) => ({
                  value: a.audienceId,
                  label: a.name,
                }))}
              />
            </Form.Item>
            <Form.Item label={t('campaigns.schedule')} name="when">
              <Radio.Group
                options={[
                  { value: 'now', label: t('campaigns.schedule.now') },
                  { value: 'at', label: t('composer.at') },
                  { value: 'recurring', label: t('composer.recurring') },
                ]}
              />
            </Form.Item>
            {when === 'at' && (
              <Form.Item
                label={t('composer.atTime', { zone: timeZone })}
                name="at"
                rules={[{ required: true, message: t('composer.atRequired') }]}
              >
                <Input type="datetime-local" style={{ maxWidth: 240 }} />
              </Form.Item>
            )}
            {when === 'recurring' && (
              <Form.Item label={t('composer.cron')} name="cron" rules={[cronRule(timeZone)]}>
                <CronField timeZone={timeZone} />
              </Form.Item>
            )}
            <Form.Item label={t('campaigns.holdout')} name="holdoutPercent" extra={t('composer.holdoutHint')}>
              <InputNumber min={0} max={50} precision={0} suffix="%" style={{ width: 120 }} />
            </Form.Item>
            <Form.Item
              label={t('composer.testPhones')}
              name="testPhones"
              extra={t('composer.testPhonesHint')}
            >
              <Select mode="tags" tokenSeparators={[',', ' ', '，']} open={false} suffixIcon={null} />
            </Form.Item>
          </Col>
          <Col xs={24} lg={9}>
            <Flex vertical gap={16} style={{ marginBottom: 24 }}>
              <ComposerEstimate
                audienceId={audienceId}
                templateId={content === 'survey' ? undefined : templateId}
                text={text}
                holdoutPercent={holdout ?? 0}
              />
              <Button
                icon={<SendOutlined />}
                disabled={!phones || phones.length === 0}
                loading={test.isPending}
                onClick={sendTest}
              >
                {t('composer.sendTest')}
              </Button>
              {test.data && (
                <Alert
                  type="success"
                  showIcon
                  title={t('composer.testSent', { phones: test.data.test.texts.map((x) => x.to).join('、') })}
                />
              )}
            </Flex>
          </Col>
        </Row>
        <FormProblem
          title={t('composer.failed')}
          error={schedule.error ?? test.error}
          form={form}
          fields={fields}
          fieldOf={fieldOf}
        />
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={schedule.isPending}>
            {t('composer.schedule')}
          </Button>
        </Form.Item>
      </Form>
    </Flex>
  );
}
