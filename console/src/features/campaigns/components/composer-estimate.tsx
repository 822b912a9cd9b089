import { Card, Descriptions, Typography } from 'antd';
import { ApiProblem } from '../../../components/api-problem';
import { isMessageKey, type Translate, useLanguage, useT } from '../../../lib/i18n';
import { formatYuan } from '../../../lib/money';
import { useReach, useTextCost } from '../api/composer';

type TextRequest = Parameters<typeof useTextCost>[0];

/**
 * Before scheduling: who a marketing text of the campaign reaches in the audience now, less the
 * holdout, times the parts each text takes and what each costs. Counts move as members join or opt
 * out, so it is an estimate.
 */
export function ComposerEstimate({
  audienceId,
  templateId,
  text,
  holdoutPercent,
}: {
  audienceId?: string;
  templateId?: string;
  text: TextRequest;
  holdoutPercent: number;
}) {
  const t = useT();
  const { language } = useLanguage();
  const reach = useReach(audienceId, templateId);
  const cost = useTextCost(text);
  const preview = reach.data?.preview;
  const perText = cost.data?.preview;
  const reachable = preview?.reachable;
  const recipients =
    reachable === undefined ? undefined : reachable - Math.floor((reachable * holdoutPercent) / 100);
  const known = (value: number | undefined, shown: (n: number) => string = String) =>
    value === undefined ? '—' : shown(value);
  return (
    <Card size="small" title={t('composer.estimate')}>
      {reach.error && <ApiProblem title={t('composer.reachFailed')} error={reach.error} />}
      {cost.error && <ApiProblem title={t('composer.costFailed')} error={cost.error} />}
      <Descriptions size="small" column={1} aria-label={t('composer.estimate')}>
        <Descriptions.Item label={t('composer.audienceCount')}>{known(preview?.count)}</Descriptions.Item>
        <Descriptions.Item label={t('composer.reachable')}>{known(reachable)}</Descriptions.Item>
        {preview && Object.keys(preview.unreachable).length > 0 && (
          <Descriptions.Item label={t('composer.unreachable')}>
            {Object.entries(preview.unreachable)
              .map(([reason, n]) => `${reasonText(t, reason)} ${n}`)
              .join('，')}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('composer.recipients')}>
          <strong>{known(recipients)}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('composer.partsPerText')}>{known(perText?.parts)}</Descriptions.Item>
        <Descriptions.Item label={t('composer.totalParts')}>
          <strong>
            {known(recipients !== undefined && perText ? recipients * perText.parts : undefined)}
          </strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('composer.cost')}>
          <strong>
            {known(
              recipients !== undefined && perText ? recipients * perText.costPerRecipientFen : undefined,
              (fen) => formatYuan(fen, language),
            )}
          </strong>
        </Descriptions.Item>
      </Descriptions>
      {perText && (
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', whiteSpace: 'pre-wrap' }}>
          {perText.text}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

function reasonText(t: Translate, reason: string): string {
  const key = `campaigns.reason.${reason}`;
  return isMessageKey(key) ? t(key) : reason;
}
