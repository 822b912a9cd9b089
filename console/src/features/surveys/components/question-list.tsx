import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, Radio, Typography } from 'antd';
import { useEffect } from 'react';
import { useT } from '../../../lib/i18n';
import type { SurveyQuestion } from '../api/surveys';

/** The limits the API checks (shared/schemas/survey.ts), offered here so a form seldom meets them. */
export const surveyLimits = { questions: 10, options: 9, prompt: 200, option: 40 } as const;

export type QuestionKind = SurveyQuestion['kind'];
export const questionKinds: readonly QuestionKind[] = ['choice', 'rating', 'text'];

/** A new question of its kind: a choice starts with two empty options to fill. */
export const newQuestion = (kind: QuestionKind = 'choice') =>
  kind === 'choice' ? { kind, prompt: '', options: ['', ''], labels: 'numbers' } : { kind, prompt: '' };

/**
 * The survey's questions in the order members get them: each one's kind, prompt and (a choice) its
 * options, moved up or down, removed, and more added up to the limit.
 */
export function QuestionList() {
  const t = useT();
  return (
    <Form.List name="questions">
      {(questions, { add, remove, move }, { errors }) => (
        <Flex vertical gap={12}>
          {questions.map((question, index) => (
            <QuestionCard
              key={question.key}
              name={question.name}
              index={index}
              last={index === questions.length - 1}
              onMove={(to) => move(index, to)}
              onRemove={questions.length > 1 ? () => remove(index) : undefined}
            />
          ))}
          <Form.ErrorList errors={errors} />
          <Button
            icon={<PlusOutlined />}
            disabled={questions.length >= surveyLimits.questions}
            onClick={() => add(newQuestion())}
          >
            {t('surveys.addQuestion')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

function QuestionCard({
  name,
  index,
  last,
  onMove,
  onRemove,
}: {
  name: number;
  index: number;
  last: boolean;
  onMove: (to: number) => void;
  onRemove?: () => void;
}) {
  const t = useT();
  const number = t('surveys.questionNumber', { n: index + 1 });
  const kind = Form.useWatch(['questions', name, 'kind']) as QuestionKind | undefined;
  return (
    <section aria-label={number}>
      <Card
        size="small"
        title={number}
        extra={
          <Flex gap={4}>
            <Button
              size="small"
              icon={<ArrowUpOutlined />}
              aria-label={t('surveys.moveUp')}
              disabled={index === 0}
              onClick={() => onMove(index - 1)}
            />
            <Button
              size="small"
              icon={<ArrowDownOutlined />}
              aria-label={t('surveys.moveDown')}
              disabled={last}
              onClick={() => onMove(index + 1)}
            />
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('surveys.removeQuestion')}
              disabled={!onRemove}
              onClick={onRemove}
            />
          </Flex>
        }
      >
        <Form.Item name={[name, 'kind']} label={t('surveys.kind')}>
          <Radio.Group
            optionType="button"
            options={questionKinds.map((value) => ({ value, label: t(`surveys.kind.${value}`) }))}
          />
        </Form.Item>
        <Form.Item
          name={[name, 'prompt']}
          label={t('surveys.prompt')}
          rules={[{ required: true, whitespace: true, message: t('surveys.promptRequired') }]}
        >
          <Input maxLength={surveyLimits.prompt} aria-label={`${number} ${t('surveys.prompt')}`} />
        </Form.Item>
        {kind === 'choice' ? (
          <ChoiceOptions name={name} number={number} />
        ) : (
          <Typography.Text type="secondary">{t(`surveys.kindHint.${kind ?? 'text'}`)}</Typography.Text>
        )}
      </Card>
    </section>
  );
}

function ChoiceOptions({ name, number }: { name: number; number: string }) {
  const t = useT();
  const form = Form.useFormInstance();
  // A question turned into a choice starts with two options to fill, as a new one does.
  useEffect(() => {
    if (!form.getFieldValue(['questions', name, 'options'])) {
      form.setFieldValue(['questions', name, 'options'], ['', '']);
    }
  }, [form, name]);
  return (
    <Form.List name={[name, 'options']}>
      {(options, { add, remove }, { errors }) => (
        <Form.Item label={t('surveys.options')} style={{ marginBottom: 0 }}>
          <Flex vertical gap={8}>
            {options.map((option, i) => (
              <Flex key={option.key} gap={8} align="start">
                <Typography.Text style={{ lineHeight: '32px', minWidth: 16 }}>{i + 1}.</Typography.Text>
                <Form.Item
                  name={option.name}
                  style={{ flex: 1, marginBottom: 0 }}
                  rules={[{ required: true, whitespace: true, message: t('surveys.optionRequired') }]}
                >
                  <Input
                    maxLength={surveyLimits.option}
                    aria-label={t('surveys.optionLabel', { question: number, n: i + 1 })}
                  />
                </Form.Item>
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={t('surveys.removeOption', { n: i + 1 })}
                  disabled={options.length <= 2}
                  onClick={() => remove(i)}
                />
              </Flex>
            ))}
            <Form.ErrorList errors={errors} />
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              disabled={options.length >= surveyLimits.options}
              onClick={() => add('')}
            >
              {t('surveys.addOption')}
            </Button>
          </Flex>
        </Form.Item>
      )}
    </Form.List>
  );
}
