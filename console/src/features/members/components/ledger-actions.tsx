import { Card, Tabs } from 'antd';
import { useAccess } from '../../../app/use-access';
import { useT } from '../../../lib/i18n';
import { useLoyaltySettings } from '../api/get-loyalty-settings';
import type { LedgerAction } from '../api/post-ledger-entry';
import { LedgerActionForm, type LedgerAnswer } from './ledger-action-form';

const allActions: readonly LedgerAction[] = ['earn', 'bonus', 'redeem', 'adjust', 'topUp', 'spend'];
/** Money in and corrections: offered only to a role that may make them (the API refuses the others). */
const corrections: readonly LedgerAction[] = ['adjust', 'topUp'];

interface LedgerActionsProps {
  phone: string;
  /** The actions offered, the first chosen: all of them unless told. */
  actions?: readonly LedgerAction[];
  onDone?: (answer: LedgerAnswer) => void;
  size?: 'middle' | 'large';
}

/** Actions on the member's books, one form at a time: switching opens a new form with a new key. */
export function LedgerActions({ phone, actions: asked = allActions, onDone, size }: LedgerActionsProps) {
  const t = useT();
  const mayCorrect = useAccess().canCorrectBalances;
  const actions = mayCorrect ? asked : asked.filter((action) => !corrections.includes(action));
  const loyalty = useLoyaltySettings();
  return (
    <Card title={t('ledger.title')}>
      <Tabs
        defaultActiveKey={actions[0]}
        tabBarGutter={16}
        destroyOnHidden
        items={actions.map((value) => ({
          key: value,
          label: t(`ledger.action.${value}`),
          children: (
            <LedgerActionForm
              phone={phone}
              action={value}
              pointsPerYuan={loyalty.data?.pointsPerYuan}
              onDone={onDone}
              size={size}
            />
          ),
        }))}
      />
    </Card>
  );
}
