import { SearchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiProblem } from '../../../components/api-problem';
import { ApiError } from '../../../lib/errors';
import { useT } from '../../../lib/i18n';
import { type Member, memberQuery } from '../api/get-member';

interface MemberSearchProps {
  onFound: (member: Member) => void;
  /** A phone that is not a member; without it, "not found" shows at the field. */
  onMissing?: (phone: string) => void;
  size?: 'middle' | 'large';
  layout?: 'vertical' | 'inline';
  /** Where the cursor starts: the counter's first screen is this field. */
  autoFocus?: boolean;
}

/** Finds a member by mobile number: the API's refusal (not a member, not a mobile number) shows at the field. */
export function MemberSearch({
  onFound,
  onMissing,
  size = 'middle',
  layout = 'vertical',
  autoFocus,
}: MemberSearchProps) {
  const t = useT();
  const [form] = Form.useForm<{ phone: string }>();
  const queries = useQueryClient();
  const [searching, setSearching] = useState(false);
  const [lost, setLost] = useState<unknown>();

  async function find({ phone }: { phone: string }) {
    setSearching(true);
    setLost(undefined);
    try {
      onFound(await queries.fetchQuery({ ...memberQuery(phone.trim()), staleTime: 0 }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && onMissing) onMissing(phone.trim());
      else if (error instanceof ApiError) form.setFields([{ name: 'phone', errors: [error.message] }]);
      else setLost(error);
    } finally {
      setSearching(false);
    }
  }

  return (
    <Form form={form} name="memberSearch" layout={layout} requiredMark={false} onFinish={find}>
      <Form.Item
        label={t('members.search')}
        name="phone"
        rules={[{ required: true, whitespace: true, message: t('members.searchRequired') }]}
      >
        <Input type="tel" inputMode="tel" autoComplete="off" size={size} allowClear autoFocus={autoFocus} />
      </Form.Item>
      <Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          size={size}
          block={layout === 'vertical'}
          icon={<SearchOutlined />}
          loading={searching}
        >
          {t('members.searchButton')}
        </Button>
      </Form.Item>
      {lost !== undefined && (
        <Form.Item>
          <ApiProblem title={t('members.notFound')} error={lost} />
        </Form.Item>
      )}
    </Form>
  );
}
