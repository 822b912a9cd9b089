import { Select } from 'antd';
import { useT } from '../../../lib/i18n';
import { useStores } from '../api/stores';

interface SingleProps {
  mode?: undefined;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** What no store means here, e.g. 全部门店; without it a store must be picked. */
  noneLabel?: string;
  id?: string;
  'aria-label'?: string;
}
interface MultipleProps {
  mode: 'multiple';
  value?: string[];
  onChange?: (value: string[]) => void;
  /** What none picked means, e.g. 全部门店. */
  placeholder?: string;
  id?: string;
  'aria-label'?: string;
}

/**
 * One of the shop's stores (门店), or several: the open ones to pick, a closed one only shown when it is
 * the value already.
 */
export function StoreSelect(props: SingleProps | MultipleProps) {
  const t = useT();
  const stores = useStores();
  const chosen = new Set(props.mode === 'multiple' ? (props.value ?? []) : props.value ? [props.value] : []);
  const options = (stores.data?.stores ?? [])
    .filter((store) => store.status === 'open' || chosen.has(store.storeId))
    .map((store) => ({
      value: store.storeId,
      label: store.status === 'closed' ? `${store.name}（${t('stores.closed')}）` : store.name,
    }));
  if (props.mode === 'multiple') {
    return (
      <Select
        id={props.id}
        aria-label={props['aria-label']}
        mode="multiple"
        optionFilterProp="label"
        loading={stores.isLoading}
        options={options}
        value={props.value}
        onChange={props.onChange}
        allowClear
        placeholder={props.placeholder ?? t('stores.pick')}
      />
    );
  }
  const none = '';
  return (
    <Select
      id={props.id}
      aria-label={props['aria-label']}
      showSearch
      optionFilterProp="label"
      loading={stores.isLoading}
      options={props.noneLabel ? [{ value: none, label: props.noneLabel }, ...options] : options}
      value={props.value ?? (props.noneLabel ? none : undefined)}
      onChange={(value) => props.onChange?.(value === none ? null : value)}
      placeholder={t('stores.pick')}
    />
  );
}
