import { Card, Segmented } from 'antd';
import { useState } from 'react';
import { useT } from '../../../lib/i18n';
import { useLoyaltySettings } from '../api/get-loyalty-settings';
import type { LedgerAction } from '../api/post-ledger-entry';
import { LedgerActionForm, type LedgerAnswer } from './ledger-action-form';

const allActions: readonly LedgerAction[] = ['earn', 'bonus', 'redeem', 'adjust', 'topUp', 'spend'];

interface LedgerActionsProps {
  phone: string;
  /** The actions offered, the first chosen: all of them unless told. */
  actions?: readonly LedgerAction[];
  onDone?: (answer: LedgerAnswer) => void;
  size?: 'middle' | 'large';
}

/** Actions on the member's books, one form at a time: switching opens a new form with a new key. */
export function LedgerActions({ phone, actions = allActions, onDone, size }: LedgerActionsProps) {
  const t = useT();
  const [action, setAction] = useState<LedgerAction>(actions[0] ?? 'earn');
  const loyalty = useLoyaltySettings();
  return (
    <Card title={t('ledger.title')}>
      <Segmented<LedgerAction>
        block
        value={action}
        onChange={setAction}
        options={actions.map((value) => ({ value, label: t(`ledger.action.${value}`) }))}
        style={{ marginBottom: 16, overflowX: 'auto', maxWidth: '100%' }}
      />
      <LedgerActionForm
        key={action}
        phone={phone}
        action={action}
        pointsPerUnit={loyalty.data?.pointsPerUnit}
        onDone={onDone}
        size={size}
      />
    </Card>
  );
}
