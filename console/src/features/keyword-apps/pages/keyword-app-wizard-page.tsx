import { Alert, Button, Card, Flex, Form, Steps, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { FormProblem } from '../../../components/form-problem';
import { PhoneSimulator } from '../../../components/phone-simulator';
import { placeIssues } from '../../../lib/field-issues';
import { useT } from '../../../lib/i18n';
import { onLocalRuntime } from '../../../lib/local-runtime';
import { usePhoneScreen } from '../../../lib/use-phone-screen';
import { useStaff } from '../../auth/api/get-session';
import {
  type ActionKind,
  type AppAction,
  type KeywordApp,
  type NewKeywordApp,
  useCreateKeywordApp,
  useSetAppEnabled,
} from '../api/keyword-apps';
import { ActionStep, ReplyStep, WordsStep } from '../components/app-steps';

interface WizardFields {
  name: string;
  keyword: string;
  aliases?: string[];
  kind: ActionKind;
  tag?: string;
  list?: string;
  code?: string;
  surveyId?: string;
  replyText?: string;
}

/** The fields of each step before saving, in order: a refusal opens the step of the field it names. */
const stepFields = [
  ['name', 'keyword', 'aliases'],
  ['kind', 'tag', 'list', 'code', 'surveyId'],
  ['replyText'],
] as const;
const fields = stepFields.flat();
const fieldOf = {
  'action.kind': 'kind',
  'action.tag': 'tag',
  'action.list': 'list',
  'action.code': 'code',
  'action.surveyId': 'surveyId',
  reply: 'replyText',
  'reply.text': 'replyText',
};

/** A demo customer to try the app from: never a staff member's phone. */
const tryPhone = '+8613800138000';

function actionOf(values: WizardFields): AppAction {
  switch (values.kind) {
    case 'tag':
      return { kind: 'tag', tag: values.tag?.trim() ?? '' };
    case 'join-list':
      return { kind: 'join-list', list: values.list?.trim() ?? '' };
    case 'grant-benefit':
      return { kind: 'grant-benefit', code: values.code ?? '' };
    case 'start-survey':
      return { kind: 'start-survey', surveyId: values.surveyId ?? '' };
    default:
      return { kind: 'reply' };
  }
}

function appOf(values: WizardFields): NewKeywordApp {
  const reply = values.kind !== 'start-survey' && values.replyText?.trim();
  return {
    name: values.name.trim(),
    keyword: values.keyword.trim(),
    aliases: values.aliases ?? [],
    action: actionOf(values),
    ...(reply ? { reply: { text: reply } } : {}),
  };
}

/**
 * The keyword-app wizard (无需编程,通过向导功能即可添加新的应用): keyword and aliases → action →
 * reply with its preview, saved → try it on the phone simulator (local runtime) → enabled or not.
 * A refusal, such as a word another app or the system has, shows at its field, on its step.
 */
export function KeywordAppWizardPage() {
  const t = useT();
  const navigate = useNavigate();
  const staff = useStaff();
  const [form] = Form.useForm<WizardFields>();
  const [step, setStep] = useState(0);
  const [saved, setSaved] = useState<KeywordApp>();
  const create = useCreateKeywordApp();
  const enable = useSetAppEnabled();
  const kind = Form.useWatch('kind', form);
  const replyText = Form.useWatch('replyText', form);
  const shopNumber = staff?.merchant.senderNumber ?? '';
  const phoneScreen = usePhoneScreen();

  const next = async () => {
    await form.validateFields([...(stepFields[step] ?? [])]);
    setStep(step + 1);
  };
  const save = async () => {
    await form.validateFields([...fields]);
    create.mutate(appOf(form.getFieldsValue(true)), {
      onSuccess: (app) => {
        setSaved(app);
        setStep(3);
      },
      onError: (error) => {
        const [first] = placeIssues(error, fields, fieldOf).fields;
        const at = stepFields.findIndex((names) => (names as readonly string[]).includes(first?.name ?? ''));
        if (at >= 0) setStep(at);
      },
    });
  };

  const steps = ['words', 'action', 'reply', 'try', 'enable'] as const;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('apps.new')}
      </Typography.Title>
      <Steps
        current={step}
        size="small"
        responsive={false}
        titlePlacement={phoneScreen ? 'vertical' : 'horizontal'}
        items={steps.map((s) => ({ title: t(`apps.step.${s}`) }))}
      />
      <Card>
        <Form
          form={form}
          name="keyword-app"
          layout="vertical"
          requiredMark={false}
          initialValues={{ kind: 'reply', aliases: [] }}
          style={{ display: saved ? 'none' : undefined }}
        >
          <div hidden={step !== 0}>
            <WordsStep />
          </div>
          <div hidden={step !== 1}>
            <ActionStep kind={kind} />
          </div>
          <div hidden={step !== 2}>
            <ReplyStep kind={kind} text={replyText} />
          </div>
          <FormProblem
            title={t('apps.saveFailed')}
            error={create.error}
            form={form}
            fields={fields}
            fieldOf={fieldOf}
          />
          <Flex gap={8} justify="flex-end">
            {step > 0 && <Button onClick={() => setStep(step - 1)}>{t('apps.previous')}</Button>}
            {step < 2 ? (
              <Button type="primary" onClick={() => next().catch(() => undefined)}>
                {t('apps.next')}
              </Button>
            ) : (
              <Button type="primary" loading={create.isPending} onClick={() => save().catch(() => undefined)}>
                {t('apps.save')}
              </Button>
            )}
          </Flex>
        </Form>
        {saved && step === 3 && (
          <Flex vertical gap={16}>
            <Alert type="success" showIcon message={t('apps.saved', { name: saved.name })} />
            {onLocalRuntime() ? (
              <>
                <Typography.Text>{t('apps.tryHint')}</Typography.Text>
                <PhoneSimulator phone={tryPhone} shopNumber={shopNumber} draft={saved.keyword} />
              </>
            ) : (
              <Typography.Text>
                {t('apps.tryElsewhere', { keyword: saved.keyword, number: shopNumber })}
              </Typography.Text>
            )}
            <Flex justify="flex-end">
              <Button type="primary" onClick={() => setStep(4)}>
                {t('apps.next')}
              </Button>
            </Flex>
          </Flex>
        )}
        {saved && step === 4 && (
          <Flex vertical gap={16}>
            <Typography.Text type="secondary">{t('apps.enableHint')}</Typography.Text>
            <Flex gap={8} align="center">
              <Switch
                aria-label={t('apps.enabledOf', { name: saved.name })}
                checked={saved.enabled}
                loading={enable.isPending}
                onChange={(enabled) =>
                  enable.mutate({ appId: saved.appId, enabled }, { onSuccess: setSaved })
                }
              />
              <Typography.Text>{t('apps.enabled')}</Typography.Text>
            </Flex>
            {enable.error && (
              <Alert
                type="error"
                showIcon
                message={t('apps.toggleFailed')}
                description={enable.error.message}
              />
            )}
            <Flex justify="flex-end">
              <Button type="primary" onClick={() => navigate('/keyword-apps')}>
                {t('apps.finish')}
              </Button>
            </Flex>
          </Flex>
        )}
      </Card>
    </Flex>
  );
}
