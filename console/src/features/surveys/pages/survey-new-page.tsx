import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Button, Col, Flex, Form, type FormInstance, Input, InputNumber, Row, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ulid } from 'ulidx';
import { ApiProblem } from '../../../components/api-problem';
import { ApiError } from '../../../lib/errors';
import { useT } from '../../../lib/i18n';
import { type NewSurvey, type SurveyQuestion, useCreateSurvey } from '../api/surveys';
import { newQuestion, QuestionList } from '../components/question-list';
import { surveyPath } from './surveys-page';

interface Fields {
  name: string;
  intro: string;
  questions: (Partial<SurveyQuestion> & { options?: string[]; labels?: 'numbers' | 'letters' })[];
  thankYou: string;
  expiresAfterDays: number;
}

/** What the API is sent: each question with the fields of its kind alone (a kind changed leaves options behind). */
function bodyOf(values: Fields): NewSurvey {
  return {
    ...values,
    questions: values.questions.map(({ kind = 'text', prompt = '', options = [], labels = 'numbers' }) =>
      kind === 'choice' ? { kind, prompt, options, labels } : { kind, prompt },
    ),
  };
}

/** A form field's name from an API issue's path: `questions.0.options.1` is `['questions', 0, 'options', 1]`. */
type FieldName = Parameters<FormInstance<Fields>['setFields']>[0][number]['name'];
const nameOf = (path: string) =>
  path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)) as FieldName;

/**
 * The survey builder: its name, intro, questions (choice, 1–5 rating, free text) in order, thank-you
 * and how long members may answer. Its id is made when the page opens, so saving it twice creates it
 * once; a refusal shows at the field the API names.
 */
export function SurveyNewPage() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const [surveyId] = useState(() => ulid());
  const create = useCreateSurvey();
  const [unplaced, setUnplaced] = useState<unknown>();
  // The fields showing a refusal: a change within one clears it (an options list has no rule that would).
  const refused = useRef<FieldName[]>([]);
  function clearRefusals(changed: Partial<Fields>) {
    const cleared = refused.current.filter((name) => name?.[0] !== undefined && name[0] in changed);
    if (cleared.length === 0) return;
    refused.current = refused.current.filter((name) => !cleared.includes(name));
    form.setFields(cleared.map((name) => ({ name, errors: [] })));
  }

  // Each issue under the field it names; one naming no field on the form shows above the button.
  useEffect(() => {
    const error = create.error;
    if (!error) return setUnplaced(undefined);
    if (!(error instanceof ApiError) || error.issues.length === 0) return setUnplaced(error);
    const known = new Set(form.getFieldsError().map((field) => field.name.join('.')));
    const placed = error.issues.filter((issue) => known.has(issue.path));
    refused.current = placed.map((issue) => nameOf(issue.path));
    form.setFields(placed.map((issue) => ({ name: nameOf(issue.path), errors: [issue.message] })));
    setUnplaced(placed.length < error.issues.length ? error : undefined);
  }, [create.error, form]);

  async function submit(values: Fields) {
    const saved = await create.mutateAsync({ ...bodyOf(values), surveyId }).catch(() => undefined);
    if (!saved) return;
    message.success(t('surveys.created'));
    navigate(surveyPath(saved.survey.surveyId), { replace: true });
  }

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={8}>
        <Link to="/surveys" aria-label={t('surveys.back')}>
          <ArrowLeftOutlined />
        </Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('surveys.new')}
        </Typography.Title>
      </Flex>
      <Form<Fields>
        form={form}
        name="survey"
        layout="vertical"
        requiredMark={false}
        initialValues={{ questions: [newQuestion()], expiresAfterDays: 7 }}
        onFinish={submit}
        onValuesChange={clearRefusals}
      >
        <Row gutter={[24, 0]}>
          <Col xs={24} lg={14}>
            <Form.Item
              label={t('surveys.name')}
              name="name"
              rules={[{ required: true, whitespace: true, message: t('surveys.nameRequired') }]}
            >
              <Input maxLength={60} autoComplete="off" />
            </Form.Item>
            <Form.Item
              label={t('surveys.intro')}
              name="intro"
              extra={t('surveys.introHint')}
              rules={[{ required: true, whitespace: true, message: t('surveys.introRequired') }]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={300} showCount />
            </Form.Item>
            <Form.Item label={t('surveys.questions')} required>
              <QuestionList />
            </Form.Item>
            <Form.Item
              label={t('surveys.thankYou')}
              name="thankYou"
              rules={[{ required: true, whitespace: true, message: t('surveys.thankYouRequired') }]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={300} showCount />
            </Form.Item>
            <Form.Item
              label={t('surveys.expiresAfterDays')}
              name="expiresAfterDays"
              extra={t('surveys.expiresHint')}
              rules={[{ required: true, message: t('surveys.expiresRequired') }]}
            >
              <InputNumber min={1} max={30} precision={0} addonAfter={t('surveys.days')} />
            </Form.Item>
            {unplaced !== undefined && (
              <Form.Item>
                <ApiProblem title={t('surveys.saveFailed')} error={unplaced} />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('surveys.save')}
            </Button>
          </Col>
          <Col xs={24} lg={10}>
            <Typography.Paragraph type="secondary">{t('surveys.howItGoes')}</Typography.Paragraph>
          </Col>
        </Row>
      </Form>
    </Flex>
  );
}
