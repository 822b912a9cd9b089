import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem } from '../../../components/api-problem';
import { type Translate, useT } from '../../../lib/i18n';
import { type RetentionRule, type RuleReport, useStopRule } from '../api/retention';
import { RuleForm } from './rule-form';
import { ZoneTag } from './zones-card';

/** A signed figure in points: +15.0, −3.2. */
const signed = (points: number) =>
  `${points > 0 ? '+' : points < 0 ? '−' : ''}${Math.abs(points).toFixed(1)}`;

function Group({ group }: { group: RuleReport['treated'] }) {
  return (
    <span>
      {group.retained}/{group.members}
      {group.rate !== null && <Typography.Text type="secondary"> ({group.rate.toFixed(1)}%)</Typography.Text>}
    </span>
  );
}

/** The difference the rule made, with how sure it is: its 95% interval, and whether that holds 0. */
export function Difference({ rule, t }: { rule: RuleReport; t: Translate }) {
  if (rule.liftPoints === null || !rule.liftInterval) {
    return <Typography.Text type="secondary">{t('retention.noDifference')}</Typography.Text>;
  }
  const { low, high } = rule.liftInterval;
  const sure = low > 0 || high < 0;
  return (
    <Flex vertical>
      <Typography.Text strong>{t('retention.points', { n: signed(rule.liftPoints) })}</Typography.Text>
      <Typography.Text type="secondary">
        {t('retention.interval', { low: signed(low), high: signed(high) })}
      </Typography.Text>
      <Typography.Text type={sure ? 'success' : 'secondary'}>
        {t(sure ? 'retention.sure' : 'retention.notSure')}
      </Typography.Text>
    </Flex>
  );
}

/**
 * The retention rules with what each did: members who bought within 30 days of the text, treated
 * against held out, and the difference with its interval; a new rule, and stopping one.
 */
export function RulesCard({ reports, rules }: { reports: RuleReport[]; rules: RetentionRule[] }) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const stop = useStopRule();
  const holdout = new Map(rules.map((rule) => [rule.ruleId, rule.holdoutPercent]));
  return (
    <Card
      size="small"
      title={t('retention.rules')}
      extra={
        <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('retention.rule.new')}
        </Button>
      }
    >
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">{t('retention.rulesAbout')}</Typography.Text>
        {stop.error && <ApiProblem title={t('retention.rule.stopFailed')} error={stop.error} />}
        <Table<RuleReport>
          rowKey="ruleId"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={reports}
          locale={{ emptyText: t('retention.noRules') }}
          columns={[
            {
              title: t('retention.rule.name'),
              dataIndex: 'name',
              render: (name: string, rule) => (
                <Flex vertical gap={4} align="start">
                  <Typography.Text>{name}</Typography.Text>
                  <Flex gap={4}>
                    <ZoneTag zone={rule.zone} />
                    <Tag color={rule.status === 'active' ? 'green' : 'default'}>
                      {t(`retention.status.${rule.status}`)}
                    </Tag>
                  </Flex>
                </Flex>
              ),
            },
            {
              title: t('retention.difference'),
              key: 'difference',
              render: (_, rule) => <Difference rule={rule} t={t} />,
            },
            {
              title: t('retention.treated'),
              key: 'treated',
              render: (_, rule) => <Group group={rule.treated} />,
            },
            {
              title: t('retention.holdout'),
              key: 'holdout',
              render: (_, rule) => (
                <Flex vertical>
                  <Group group={rule.holdout} />
                  <Typography.Text type="secondary">
                    {t('retention.holdoutShare', { n: holdout.get(rule.ruleId) ?? 0 })}
                  </Typography.Text>
                </Flex>
              ),
            },
            { title: t('retention.openWindows'), dataIndex: 'openWindows', align: 'right' },
            {
              title: '',
              key: 'stop',
              render: (_, rule) =>
                rule.status === 'active' && (
                  <Popconfirm
                    title={t('retention.rule.stopConfirm', { name: rule.name })}
                    okText={t('retention.rule.stop')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => stop.mutateAsync(rule.ruleId).catch(() => undefined)}
                  >
                    <Button size="small" danger>
                      {t('retention.rule.stop')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Flex>
      <Modal
        open={adding}
        title={t('retention.rule.new')}
        footer={null}
        destroyOnHidden
        onCancel={() => setAdding(false)}
      >
        <RuleForm onSaved={() => setAdding(false)} />
      </Modal>
    </Card>
  );
}
