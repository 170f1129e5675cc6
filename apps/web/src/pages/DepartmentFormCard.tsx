import { Alert, Button, Card, ConfigProvider, Form, Select, type FormInstance, type SelectProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api';

/**
 * One of a department's own forms beside a referral: validates, posts, shows the server's Chinese refusal
 * in place (the form keeps what was typed) and what was recorded once it succeeds.
 */
export default function DepartmentFormCard<T>({
  title,
  submitText,
  form,
  initialValues,
  onSubmit,
  result,
  children,
}: {
  title: string;
  submitText: string;
  form: FormInstance;
  initialValues?: Record<string, unknown>;
  onSubmit: (values: T) => Promise<void>;
  result?: ReactNode;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const values = (await form.validateFields()) as T;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '提交失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{title}</h2>}>
      {result}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initialValues}>
        {children}
        <Button type="primary" loading={busy} onClick={submit}>
          {submitText}
        </Button>
      </Form>
    </Card>
  );
}

/** The county of a village or township code. */
export const countyOf = (code: string | null | undefined) => (code ? `${code.slice(0, 6)}000000` : '');

export const yuan = (n: number | null | undefined) =>
  n == null ? '—' : `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;

/**
 * A Select in a required Form.Item: the item hands it `aria-required`, which antd puts on the Select's outer
 * <div> (no role there, so screen readers ignore it and axe reports it); the asterisk and the message carry it.
 */
export function RequiredSelect(props: SelectProps & { 'aria-required'?: unknown }) {
  const { 'aria-required': _required, ...rest } = props;
  return <Select {...rest} />;
}

/**
 * 旗县区 of a record, chosen by name: for an officer of the city, who works in every county (`counties` from
 * useCounties). An officer of a county is not asked (their own is taken): pass null to render nothing.
 */
export function CountyField({ counties }: { counties: { value: string; label: string }[] | null }) {
  if (!counties) return null;
  return (
    <Form.Item name="countyCode" label="旗县区" rules={[{ required: true, message: '请选择旗县区' }]}>
      <RequiredSelect style={{ width: 200 }} placeholder="请选择旗县区" options={counties} />
    </Form.Item>
  );
}

// Darker than antd's presets so the text keeps a 4.5:1 contrast (axe color-contrast).
export const TONES = {
  green: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  red: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  orange: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
  blue: { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' },
} as const;

/** antd's error red is below 4.5:1 on white: validation messages and error text use a darker one. */
export function Contrast({ children }: { children: ReactNode }) {
  return <ConfigProvider theme={{ token: { colorError: '#b3151c' } }}>{children}</ConfigProvider>;
}
