import { PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Flex, Segmented, theme } from 'antd';
import { useT } from '../../../lib/i18n';
import type { AudienceField } from '../api/audiences';
import { type GroupNode, type Join, newCondition, newGroup, type TreeNode, withChild } from '../tree';
import { ConditionEditor } from './condition-editor';

interface GroupEditorProps {
  node: GroupNode;
  fields: AudienceField[];
  problems: Map<string, string[]>;
  /** Whether another level of groups still fits within the API's bound. */
  canNest: (node: GroupNode) => boolean;
  onChange: (id: string, change: (node: TreeNode) => TreeNode | undefined) => void;
  /** Absent on the top group, which stays. */
  onRemove?: () => void;
}

/**
 * A group of conditions joined by "all of" (AND) or "any of" (OR), with "not" to take the members it
 * does not hold; groups nest within groups.
 */
export function GroupEditor({ node, fields, problems, canNest, onChange, onRemove }: GroupEditorProps) {
  const t = useT();
  const { token } = theme.useToken();
  const first = fields[0];
  const add = (child: TreeNode) => onChange(node.id, (group) => withChild(group, child));
  return (
    <Flex
      vertical
      gap={12}
      role="group"
      aria-label={t('audiences.group')}
      style={{
        borderLeft: `3px solid ${node.negate ? token.colorError : token.colorPrimary}`,
        paddingLeft: 12,
      }}
    >
      <Flex gap={8} wrap align="center">
        <Segmented<Join>
          aria-label={t('audiences.join')}
          value={node.join}
          onChange={(join) => onChange(node.id, (group) => ({ ...group, join }) as GroupNode)}
          options={[
            { value: 'and', label: t('audiences.join.and') },
            { value: 'or', label: t('audiences.join.or') },
          ]}
        />
        <Checkbox
          checked={node.negate}
          onChange={(event) => onChange(node.id, (group) => ({ ...group, negate: event.target.checked }))}
        >
          {t('audiences.notGroup')}
        </Checkbox>
        {onRemove && (
          <Button size="small" type="text" danger onClick={onRemove}>
            {t('audiences.removeGroup')}
          </Button>
        )}
      </Flex>
      {node.children.map((child) =>
        child.kind === 'group' ? (
          <GroupEditor
            key={child.id}
            node={child}
            fields={fields}
            problems={problems}
            canNest={canNest}
            onChange={onChange}
            onRemove={() => onChange(child.id, () => undefined)}
          />
        ) : (
          <ConditionEditor
            key={child.id}
            node={child}
            fields={fields}
            problems={problems.get(child.id)}
            onChange={(next) => onChange(child.id, () => next)}
            onRemove={() => onChange(child.id, () => undefined)}
          />
        ),
      )}
      <Flex gap={8} wrap>
        <Button
          size="small"
          icon={<PlusOutlined />}
          disabled={!first}
          onClick={() => first && add(newCondition(first.name, first.ops[0] ?? 'eq', first.windows?.[0]))}
        >
          {t('audiences.addCondition')}
        </Button>
        <Button
          size="small"
          icon={<PlusOutlined />}
          disabled={!canNest(node)}
          onClick={() => add(newGroup('or'))}
        >
          {t('audiences.addGroup')}
        </Button>
      </Flex>
    </Flex>
  );
}
