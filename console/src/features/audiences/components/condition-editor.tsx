import { DeleteOutlined } from '@ant-design/icons';
import { Button, Checkbox, Flex, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { useT } from '../../../lib/i18n';
import { useStoreName } from '../../stores/api/stores';
import { StoreSelect } from '../../stores/components/store-select';
import type { AudienceField } from '../api/audiences';
import { choiceLabel, fieldLabel, opLabel, windowLabel } from '../labels';
import { attributePrefix, type ConditionNode, type Scalar, storePrefix, type Value } from '../tree';

interface ConditionEditorProps {
  node: ConditionNode;
  fields: AudienceField[];
  /** The API's reasons this condition was refused. */
  problems?: string[];
  onChange: (node: ConditionNode) => void;
  onRemove: () => void;
}

/** A custom attribute's value as typed: a number or true/false when it reads as one, else the text. */
function attributeValue(text: string): Scalar {
  if (text === 'true' || text === 'false') return text === 'true';
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** One value of the field, in the input its kind asks for. */
function OneValue({
  field,
  value,
  onChange,
  label,
}: {
  field: AudienceField;
  value: Scalar | undefined;
  onChange: (value: Scalar | undefined) => void;
  label: string;
}) {
  const t = useT();
  const { kind, choices, names, min, max, maxLength } = field.value;
  if (kind === 'choice') {
    return (
      <Select
        aria-label={label}
        style={{ minWidth: 140 }}
        value={value as string | undefined}
        onChange={onChange}
        options={(choices ?? []).map((choice) => ({
          value: choice,
          label: choiceLabel(t, field.name, choice, names),
        }))}
      />
    );
  }
  if (kind === 'integer') {
    return (
      <InputNumber
        aria-label={label}
        min={min}
        max={max}
        precision={0}
        value={value as number | undefined}
        onChange={(next) => onChange(next ?? undefined)}
      />
    );
  }
  if (kind === 'date') {
    return (
      <Input
        aria-label={label}
        type="date"
        style={{ width: 160 }}
        value={(value as string | undefined) ?? ''}
        onChange={(event) => onChange(event.target.value || undefined)}
      />
    );
  }
  return (
    <Input
      aria-label={label}
      style={{ width: 160 }}
      maxLength={maxLength}
      value={value === undefined ? '' : String(value)}
      onChange={(event) => {
        const text = event.target.value;
        onChange(text === '' ? undefined : kind === 'any' ? attributeValue(text) : text);
      }}
    />
  );
}

/** The value of a condition as its operator takes it: yes/no, one value, a pair, or a list. */
function ValueEditor({
  node,
  field,
  onChange,
}: {
  node: ConditionNode;
  field: AudienceField;
  onChange: (v: Value) => void;
}) {
  const t = useT();
  const label = t('audiences.value');
  if (node.op === 'exists') {
    return (
      <Switch
        aria-label={label}
        checkedChildren={t('audiences.exists.yes')}
        unCheckedChildren={t('audiences.exists.no')}
        checked={node.value !== false}
        onChange={(checked) => onChange(checked)}
      />
    );
  }
  if (node.op === 'between') {
    const [low, high] = Array.isArray(node.value) ? node.value : [];
    return (
      <Flex align="center" gap={4}>
        <OneValue
          field={field}
          label={t('audiences.low')}
          value={low}
          onChange={(v) => onChange([v as Scalar, high as Scalar])}
        />
        <Typography.Text type="secondary">–</Typography.Text>
        <OneValue
          field={field}
          label={t('audiences.high')}
          value={high}
          onChange={(v) => onChange([low as Scalar, v as Scalar])}
        />
      </Flex>
    );
  }
  if (node.op === 'in') {
    const { kind, choices, names } = field.value;
    const values = Array.isArray(node.value) ? node.value : [];
    const numeric = kind === 'integer';
    return (
      <Select
        aria-label={label}
        mode={kind === 'choice' ? 'multiple' : 'tags'}
        style={{ minWidth: 200 }}
        tokenSeparators={[',', '，', ' ']}
        value={values.map(String)}
        options={(choices ?? []).map((choice) => ({
          value: choice,
          label: choiceLabel(t, field.name, choice, names),
        }))}
        onChange={(next: string[]) =>
          onChange(
            next
              .map((v) => (numeric ? Number(v) : kind === 'any' ? attributeValue(v) : v))
              .filter((v) => !(numeric && Number.isNaN(v))),
          )
        }
      />
    );
  }
  return (
    <OneValue field={field} label={label} value={node.value as Scalar | undefined} onChange={onChange} />
  );
}

/**
 * One condition: the field, its operator and window (as the API lists them for that field), the
 * value, and "not" before it. Changing the field keeps the operator when the new field takes it.
 */
export function ConditionEditor({ node, fields, problems, onChange, onRemove }: ConditionEditorProps) {
  const t = useT();
  const { hasStores } = useStoreName();
  const field = fields.find((f) => f.name === node.field);
  const pickField = (name: string) => {
    const next = fields.find((f) => f.name === name);
    if (!next) return;
    const op = next.ops.includes(node.op as never) ? node.op : (next.ops[0] ?? 'eq');
    onChange({
      ...node,
      field: name,
      op,
      window: next.windows?.[0],
      value: op === 'exists' ? true : undefined,
    });
  };
  return (
    <Flex vertical gap={4} role="group" aria-label={t('audiences.condition')}>
      <Flex gap={8} wrap align="center">
        <Checkbox
          checked={node.negate}
          onChange={(event) => onChange({ ...node, negate: event.target.checked })}
        >
          {t('audiences.not')}
        </Checkbox>
        <Select
          aria-label={t('audiences.fieldPick')}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ minWidth: 150 }}
          value={node.field}
          onChange={pickField}
          options={fields
            // A store's purchases only where the shop has stores (or the condition names one already).
            .filter((f) => f.name !== storePrefix || hasStores || node.field === storePrefix)
            .map((f) => ({ value: f.name, label: fieldLabel(t, f.name, f.describe) }))}
        />
        {node.field === attributePrefix && (
          <Input
            aria-label={t('audiences.attribute')}
            placeholder={t('audiences.attributePlaceholder')}
            style={{ width: 130 }}
            maxLength={40}
            value={node.attribute ?? ''}
            onChange={(event) => onChange({ ...node, attribute: event.target.value })}
          />
        )}
        {node.field === storePrefix && (
          <div style={{ minWidth: 130 }}>
            <StoreSelect
              aria-label={t('stores.store')}
              value={node.attribute}
              onChange={(storeId) => onChange({ ...node, attribute: storeId ?? undefined })}
            />
          </div>
        )}
        {field?.windows && (
          <Select
            aria-label={t('audiences.window')}
            style={{ minWidth: 100 }}
            value={node.window}
            onChange={(window: string) => onChange({ ...node, window })}
            options={field.windows.map((w) => ({ value: w, label: windowLabel(t, w) }))}
          />
        )}
        <Select
          aria-label={t('audiences.opPick')}
          style={{ minWidth: 110 }}
          value={node.op}
          onChange={(op: string) =>
            onChange({ ...node, op, value: op === 'exists' ? true : op === node.op ? node.value : undefined })
          }
          options={(field?.ops ?? []).map((op) => ({ value: op, label: opLabel(t, op) }))}
        />
        {field && (
          <ValueEditor node={node} field={field} onChange={(value) => onChange({ ...node, value })} />
        )}
        <Button aria-label={t('audiences.remove')} type="text" icon={<DeleteOutlined />} onClick={onRemove} />
      </Flex>
      {problems?.map((problem) => (
        <Typography.Text key={problem} type="danger" role="alert">
          {problem}
        </Typography.Text>
      ))}
    </Flex>
  );
}
