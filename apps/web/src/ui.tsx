import { Alert, Button, Form, Modal, Table, Typography, type FormInstance, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import type { useServerPage } from './hooks';

/**
 * Status tags in colours darker than antd's presets, so their text keeps a 4.5:1 contrast (axe
 * color-contrast): in progress, done, waiting on someone else, stopped, overdue.
 */
export const TAG = {
  open: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
  done: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  waiting: { color: '#10239e', background: '#f0f5ff', borderColor: '#adc6ff' },
  stopped: { color: '#595959', background: '#fafafa', borderColor: '#d9d9d9' },
  overdue: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
} as const;

/** Secondary text with enough contrast on white. */
export const muted = { color: '#595959' } as const;

export const nowrap = (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{t}</span>;

/** Yuan as officers read them: 12,480.5 元. */
export const yuan = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;

/** A list's first cell: the row's name, opening its detail. */
export function OpenLink(props: { onOpen: () => void; children: ReactNode }) {
  return (
    <Button type="link" style={{ padding: 0, textAlign: 'left' }} onClick={props.onOpen}>
      {props.children}
    </Button>
  );
}

/** A server-paginated list (`useServerPage`) as a table, with its loading error above it. */
export function ServerTable<T extends object>(
  props: {
    list: ReturnType<typeof useServerPage<T>>;
    empty: string;
    /**
     * The width past which the table scrolls sideways; false: it never does (a table without a link or
     * button in its rows: axe requires a scrolling region to be reachable by keyboard).
     */
    scrollX?: number | false;
  } & Pick<TableProps<T>, 'rowKey' | 'columns'>,
) {
  const { list } = props;
  return (
    <>
      {list.error && <Alert type="error" showIcon message={list.error} />}
      <Table<T>
        rowKey={props.rowKey}
        loading={list.loading}
        dataSource={list.items}
        scroll={props.scrollX === false ? undefined : { x: props.scrollX ?? 900 }}
        locale={{ emptyText: <span style={muted}>{props.empty}</span> }}
        pagination={list.pagination}
        columns={props.columns}
      />
    </>
  );
}

/**
 * A dialog holding one form: 取消 closes it, the OK button submits the form, the server's refusal shows
 * above the fields. Mounted from the start (`forceRender`) so the form instance is connected before it opens.
 */
export function FormDialog(props: {
  title: string;
  open: boolean;
  onClose: () => void;
  form: FormInstance;
  okText: string;
  busy: boolean;
  error: string | null;
  width?: number;
  /** Above a drawer the dialog is opened from (both are mounted from the start). */
  aboveDrawer?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal
      title={props.title}
      open={props.open}
      width={props.width}
      zIndex={props.aboveDrawer ? 1100 : undefined}
      onCancel={props.onClose}
      onOk={() => props.form.submit()}
      okText={props.okText}
      cancelText="取消"
      confirmLoading={props.busy}
      forceRender
    >
      {props.error && props.open && (
        <Alert type="error" showIcon role="alert" message={props.error} style={{ marginBottom: 16 }} />
      )}
      {props.children}
    </Modal>
  );
}

/** One step's form inside a case's drawer: its title, fields and one submit button. */
export function StepForm<T extends object>(props: {
  name: string;
  title: string;
  submitText: string;
  busy: boolean;
  danger?: boolean;
  initialValues?: Partial<T>;
  onFinish: (v: T) => void;
  children: ReactNode;
}) {
  const [form] = Form.useForm<T>();
  return (
    <Form<T>
      name={props.name}
      form={form}
      layout="vertical"
      disabled={props.busy}
      initialValues={props.initialValues}
      onFinish={props.onFinish}
    >
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {props.title}
      </Typography.Title>
      {props.children}
      <Button
        type={props.danger ? 'default' : 'primary'}
        danger={props.danger}
        htmlType="submit"
        loading={props.busy}
      >
        {props.submitText}
      </Button>
    </Form>
  );
}
