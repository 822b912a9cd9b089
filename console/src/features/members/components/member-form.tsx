import { Button, Checkbox, DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import type { NewMember } from '../api/add-member';
import type { ProfileChange } from '../api/edit-member';
import type { Member } from '../api/get-member';

export interface ProfileValues {
  phone: string;
  name?: string;
  gender?: 'female' | 'male' | 'other';
  birthday?: Dayjs;
  city?: string;
  tags?: string[];
  marketingConsent?: boolean;
  consentSource?: string;
}

const fields = ['phone', 'name', 'gender', 'birthday', 'city', 'tags', 'consentSource'] as const;
const fieldOf = { marketingConsent: 'consentSource' };
const genders = ['female', 'male', 'other'] as const;

/** The form's values of a member, to edit them. */
export const profileValuesOf = (member: Member): ProfileValues => ({
  phone: member.phone,
  name: member.name,
  gender: member.gender,
  birthday: member.birthday ? dayjs(member.birthday) : undefined,
  city: member.city,
  tags: member.tags,
});

const text = (value: string | undefined) => value?.trim() || undefined;

/** A new member as the API takes it: empty fields left out, consent only when given, with how. */
export const newMemberOf = (values: ProfileValues): NewMember => ({
  phone: values.phone.trim(),
  name: text(values.name),
  gender: values.gender,
  birthday: values.birthday?.format('YYYY-MM-DD'),
  city: text(values.city),
  tags: values.tags,
  marketingConsent:
    values.marketingConsent && values.consentSource ? { source: values.consentSource.trim() } : undefined,
});

/** A change of profile as the API takes it: a field emptied is cleared (`null`). */
export const profileChangeOf = (values: ProfileValues): ProfileChange => ({
  name: text(values.name) ?? null,
  gender: values.gender ?? null,
  birthday: values.birthday?.format('YYYY-MM-DD') ?? null,
  city: text(values.city) ?? null,
  tags: values.tags ?? [],
});

interface MemberFormProps {
  /** A member's values to change; a new member otherwise (then the phone and consent are asked). */
  initial?: ProfileValues;
  submitLabel: string;
  failedTitle: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ProfileValues) => void;
}

/** A member's profile: the phone and consent when adding, then name, gender, birthday, city and tags. */
export function MemberForm({ initial, submitLabel, failedTitle, pending, error, onSubmit }: MemberFormProps) {
  const t = useT();
  const [form] = Form.useForm<ProfileValues>();
  const adding = initial === undefined;
  const consenting = Form.useWatch('marketingConsent', form);
  return (
    <Form
      form={form}
      name={adding ? 'addMember' : 'editMember'}
      layout="vertical"
      requiredMark={false}
      initialValues={initial}
      onFinish={onSubmit}
    >
      {adding && (
        <Form.Item
          label={t('member.phone')}
          name="phone"
          rules={[{ required: true, whitespace: true, message: t('members.searchRequired') }]}
        >
          <Input type="tel" inputMode="tel" autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item label={t('member.name')} name="name">
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item label={t('member.gender')} name="gender">
        <Select
          allowClear
          options={genders.map((value) => ({ value, label: t(`member.gender.${value}`) }))}
        />
      </Form.Item>
      <Form.Item label={t('member.birthday')} name="birthday">
        <DatePicker style={{ width: '100%' }} inputReadOnly />
      </Form.Item>
      <Form.Item label={t('member.city')} name="city">
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item label={t('member.tags')} name="tags">
        <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} />
      </Form.Item>
      {adding && (
        <Form.Item name="marketingConsent" valuePropName="checked">
          <Checkbox>{t('member.marketingConsent')}</Checkbox>
        </Form.Item>
      )}
      {adding && consenting && (
        <Form.Item
          label={t('member.consentSource')}
          name="consentSource"
          rules={[{ required: true, whitespace: true, message: t('member.consentSourceHint') }]}
        >
          <Input placeholder={t('member.consentSourceHint')} maxLength={200} />
        </Form.Item>
      )}
      <FormProblem title={failedTitle} error={error} form={form} fields={fields} fieldOf={fieldOf} />
      <Button type="primary" htmlType="submit" loading={pending} block>
        {submitLabel}
      </Button>
    </Form>
  );
}
