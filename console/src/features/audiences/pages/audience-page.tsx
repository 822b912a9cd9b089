import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Button, Col, Flex, Input, Popconfirm, Row, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ulid } from 'ulidx';
import { ApiProblem } from '../../../components/api-problem';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { ApiError } from '../../../lib/errors';
import { useT } from '../../../lib/i18n';
import { useDebounced } from '../../../lib/use-debounced';
import {
  type AudienceField,
  type SavedAudience,
  useAudience,
  useAudienceFields,
  useAudiencePreview,
  useCreateAudience,
  useDeleteAudience,
  useUpdateAudience,
} from '../api/audiences';
import { AudiencePreview } from '../components/audience-preview';
import { GroupEditor } from '../components/group-editor';
import {
  complete,
  type DefinitionJson,
  depthOf,
  fromDefinition,
  type GroupNode,
  issuesByCondition,
  newCondition,
  newGroup,
  type TreeNode,
  toDefinition,
  updateNode,
  withChild,
} from '../tree';
import { audiencePath } from './audiences-page';

/** One audience (or a new one at `/audiences/new`): the builder, its live count, and saving it. */
export function AudiencePage() {
  const t = useT();
  const { audienceId: id } = useParams();
  const audienceId = id === 'new' ? undefined : id;
  const loaded = useAudience(audienceId);
  const fields = useAudienceFields();

  const failed = fields.error ?? (audienceId ? loaded.error : undefined);
  if (failed) {
    return (
      <QueryProblem
        title={t('audiences.loadFailed')}
        error={failed}
        onRetry={() => {
          void fields.refetch();
          if (audienceId) void loaded.refetch();
        }}
      />
    );
  }
  if (!fields.data || (audienceId && !loaded.data)) return <PageLoading />;
  const audience = loaded.data?.audience;
  return (
    <AudienceBuilder
      key={audience ? `${audience.audienceId}${audience.updatedAt ?? ''}` : 'new'}
      audience={audience}
      fields={fields.data.fields}
      maxDepth={fields.data.limits.depth}
    />
  );
}

function AudienceBuilder({
  audience,
  fields,
  maxDepth,
}: {
  audience?: SavedAudience;
  fields: AudienceField[];
  maxDepth: number;
}) {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  // A new audience's id is made when the page opens: saving it twice saves it once.
  const [newId] = useState(() => ulid());
  const [name, setName] = useState(audience?.name ?? '');
  const [root, setRoot] = useState<GroupNode>(() => {
    if (audience) return fromDefinition(audience.definition as DefinitionJson);
    const first = fields[0];
    return newGroup('and', first ? [newCondition(first.name, first.ops[0] ?? 'eq', first.windows?.[0])] : []);
  });
  const create = useCreateAudience();
  const update = useUpdateAudience();
  const remove = useDeleteAudience();
  const save = audience ? update : create;

  const built = useMemo(() => toDefinition(root), [root]);
  const ready = complete(root);
  const settled = useDebounced(ready ? built.definition : undefined, 500);
  const preview = useAudiencePreview(settled);
  const refusal = [save.error, preview.error].find((error) => error instanceof ApiError) as
    | ApiError
    | undefined;
  const problems = issuesByCondition(refusal?.issues ?? [], built.paths);
  const nameProblem = refusal?.issues.find((issue) => issue.path === 'name')?.message;

  const change = (nodeId: string, edit: (node: TreeNode) => TreeNode | undefined) =>
    setRoot((current) => (updateNode(current, nodeId, edit) as GroupNode | undefined) ?? newGroup());
  const canNest = (group: GroupNode) =>
    depthOf(updateNode(root, group.id, (g) => withChild(g, newGroup())) ?? root) <= maxDepth;

  async function submit() {
    if (!name.trim() || !ready) return;
    const definition = built.definition;
    const saved = audience
      ? await update
          .mutateAsync({ audienceId: audience.audienceId, change: { name, definition } })
          .catch(() => undefined)
      : await create.mutateAsync({ audienceId: newId, name, definition }).catch(() => undefined);
    if (!saved) return;
    message.success(t('audiences.saved'));
    if (!audience) navigate(audiencePath(saved.audience.audienceId), { replace: true });
  }

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Flex align="center" gap={8}>
          <Link to="/audiences" aria-label={t('audiences.back')}>
            <ArrowLeftOutlined />
          </Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {audience ? audience.name : t('audiences.new')}
          </Typography.Title>
        </Flex>
        {audience && (
          <Popconfirm
            title={t('audiences.deleteConfirm', { name: audience.name })}
            okText={t('audiences.delete')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              remove
                .mutateAsync(audience.audienceId)
                .then(() => navigate('/audiences'))
                .catch(() => undefined)
            }
          >
            <Button danger>{t('audiences.delete')}</Button>
          </Popconfirm>
        )}
      </Flex>
      {remove.error && <ApiProblem title={t('audiences.deleteFailed')} error={remove.error} />}
      <Row gutter={[24, 16]}>
        <Col xs={24} lg={15}>
          <Flex vertical gap={16}>
            <Flex vertical gap={4}>
              <Typography.Text strong>
                <label htmlFor="audience-name">{t('audiences.name')}</label>
              </Typography.Text>
              <Input
                id="audience-name"
                maxLength={80}
                status={nameProblem || (save.isError && !name.trim()) ? 'error' : undefined}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
              {nameProblem && <Typography.Text type="danger">{nameProblem}</Typography.Text>}
            </Flex>
            <Typography.Text strong>{t('audiences.who')}</Typography.Text>
            <GroupEditor
              node={root}
              fields={fields}
              problems={problems.at}
              canNest={canNest}
              onChange={change}
            />
            {problems.rest.map((problem) => (
              <Typography.Text key={problem} type="danger" role="alert">
                {problem}
              </Typography.Text>
            ))}
            {save.error && !(save.error instanceof ApiError && save.error.issues.length > 0) && (
              <ApiProblem title={t('audiences.saveFailed')} error={save.error} />
            )}
            <Flex gap={8} align="center" wrap>
              <Button
                type="primary"
                loading={save.isPending}
                disabled={!name.trim() || !ready}
                onClick={submit}
              >
                {t('audiences.save')}
              </Button>
              {!name.trim() && (
                <Typography.Text type="secondary">{t('audiences.nameRequired')}</Typography.Text>
              )}
            </Flex>
          </Flex>
        </Col>
        <Col xs={24} lg={9}>
          <AudiencePreview
            ready={ready}
            preview={ready ? preview.data?.preview : undefined}
            loading={preview.isFetching}
            error={preview.error}
            tierNames={fields.find((field) => field.name === 'tier')?.value.names}
          />
        </Col>
      </Row>
    </Flex>
  );
}
