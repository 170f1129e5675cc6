import {
  Alert,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Pagination,
  Result,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import { beijingTime } from '../labels';
import { choiceOf, paramsOf, PlacePicker, PublicShell } from './PublicParts';

interface Notice {
  applicationId: string;
  programName: string;
  notice: string;
  noticeName: string;
  villageName: string;
  townshipName: string;
  applicantName: string;
  householdSize: number | null;
  startsAt: string;
  endsAt: string;
}

interface Receipt {
  reference: string;
  message: string;
}

const PAGE_SIZE = 10;

/** 公示公告: applications on notice in a village, chosen by name; anyone may object, without an account. */
export default function PublicNoticesPage() {
  const [params, setParams] = useSearchParams();
  const choice = choiceOf(params);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<Notice> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [objecting, setObjecting] = useState<Notice | null>(null);

  const load = useCallback(() => {
    if (!choice.village) {
      setData(null);
      return;
    }
    setLoading(true);
    const q = new URLSearchParams({
      villageCode: choice.village,
      page: String(page),
      pageSize: String(PAGE_SIZE),
    });
    api<Page<Notice>>('GET', `/public/dibao/notices?${q}`)
      .then((d) => (setData(d), setError(null)))
      .catch((e) => setError(e instanceof ApiError ? e.message : '公示信息加载失败，请稍后重试'))
      .finally(() => setLoading(false));
  }, [choice.village, page]);
  useEffect(load, [load]);

  return (
    <PublicShell
      title="低保、特困供养公示"
      intro="选择您所在的乡镇（街道）和村（社区），查看正在公示的最低生活保障、特困人员救助供养申请。对公示对象有异议的，可在公示期内提出，无需登录。"
    >
      <Card style={{ marginBottom: 16 }}>
        <PlacePicker
          value={choice}
          onChange={(v) => {
            setPage(1);
            setParams(paramsOf(v), { replace: true });
          }}
        />
      </Card>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      {!choice.village ? (
        <Alert type="info" showIcon message="请先选择村（社区），再查看该村（社区）的公示。" />
      ) : (
        <Spin spinning={loading}>
          <section aria-label="公示名单" data-testid="notice-list">
            {data && data.items.length === 0 && <Empty description="该村（社区）目前没有正在公示的申请" />}
            {data?.items.map((n) => (
              <Card
                key={n.applicationId}
                style={{ marginBottom: 12 }}
                data-testid="notice"
                title={
                  <Space wrap size={[8, 4]}>
                    <span>{n.applicantName}</span>
                    <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                      {n.noticeName}
                    </Tag>
                  </Space>
                }
              >
                <dl style={{ margin: 0, lineHeight: 1.9 }}>
                  <Row term="申请事项" value={n.programName} />
                  <Row term="所在地" value={`${n.townshipName}${n.villageName}`} />
                  <Row term="保障人数" value={n.householdSize == null ? '—' : `${n.householdSize} 人`} />
                  <Row
                    term="公示期"
                    value={
                      <>
                        <span style={{ whiteSpace: 'nowrap' }}>{beijingTime(n.startsAt)}</span> 至{' '}
                        <span style={{ whiteSpace: 'nowrap' }}>{beijingTime(n.endsAt)}</span>
                      </>
                    }
                  />
                </dl>
                <Button style={{ marginTop: 12 }} block onClick={() => setObjecting(n)}>
                  提出异议
                </Button>
              </Card>
            ))}
            {data && data.total > PAGE_SIZE && (
              <Pagination
                simple
                current={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                onChange={setPage}
                style={{ textAlign: 'center' }}
              />
            )}
            {data && data.total > 0 && (
              <Typography.Paragraph style={{ color: '#555', marginTop: 8 }}>
                共 {data.total} 户正在公示。公示时间为北京时间。
              </Typography.Paragraph>
            )}
          </section>
        </Spin>
      )}
      <Typography.Paragraph style={{ marginTop: 16 }}>
        <Link
          to={{ pathname: '/notices/recipients', search: new URLSearchParams(paramsOf(choice)).toString() }}
        >
          查看本村（社区）已纳入保障的对象（长期公示）
        </Link>
      </Typography.Paragraph>
      <ObjectionDialog notice={objecting} onClose={() => setObjecting(null)} />
    </PublicShell>
  );
}

function Row({ term, value }: { term: string; value: ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: 8 }}>
      <dt style={{ color: '#555', flex: '0 0 5em' }}>{term}</dt>
      <dd style={{ margin: 0, minWidth: 0, overflowWrap: 'anywhere' }}>{value}</dd>
    </div>
  );
}

/** The server checks what is written and answers in Chinese: its words are shown beside the field. */
function ObjectionDialog({ notice, onClose }: { notice: Notice | null; onClose(): void }) {
  const [form] = Form.useForm<{ content?: string; contact?: string }>();
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    form.resetFields();
    setError(null);
    setReceipt(null);
  }, [notice, form]);

  const submit = async (v: { content?: string; contact?: string }) => {
    if (!notice) return;
    setBusy(true);
    setError(null);
    try {
      const contact = v.contact?.trim();
      setReceipt(
        await api<Receipt>('POST', '/public/dibao/objections', {
          applicationId: notice.applicationId,
          content: (v.content ?? '').trim(),
          ...(contact ? { contact } : {}),
        }),
      );
    } catch (e) {
      if (e instanceof ApiError) {
        const problems = e.fields.flatMap((f) => f.problems);
        setError(problems.length ? problems.join('；') : e.message);
        form.setFields(
          e.fields
            .filter((f) => f.field === 'content' || f.field === 'contact')
            .map((f) => ({ name: f.field as 'content' | 'contact', errors: f.problems })),
        );
      } else setError('提交失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={notice !== null}
      onCancel={onClose}
      title={notice ? `对 ${notice.applicantName}（${notice.programName}）提出异议` : ''}
      footer={null}
      destroyOnHidden
      width={520}
    >
      {receipt ? (
        <Result
          status="success"
          title="异议已提交"
          subTitle={
            <>
              <div>
                异议编号：
                <Typography.Text strong copyable data-testid="objection-reference">
                  {receipt.reference}
                </Typography.Text>
              </div>
              <div style={{ marginTop: 8 }}>{receipt.message}</div>
              <div style={{ marginTop: 8 }}>请记下异议编号，向民政部门询问处理结果时使用。</div>
            </>
          }
          extra={
            <Button type="primary" onClick={onClose}>
              完成
            </Button>
          }
        />
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} requiredMark>
          {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
          <Form.Item
            label="异议内容"
            name="content"
            required
            extra="请写明您了解的情况，例如家庭收入、财产、居住等与公示不符之处。"
          >
            <Input.TextArea rows={5} maxLength={2000} showCount />
          </Form.Item>
          <Form.Item label="联系方式（可不填）" name="contact" extra="留下电话便于工作人员向您核实和反馈。">
            <Input inputMode="tel" maxLength={100} autoComplete="tel" />
          </Form.Item>
          <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
            <Button onClick={onClose}>取消</Button>
            <Button type="primary" htmlType="submit" loading={busy}>
              提交异议
            </Button>
          </Space>
        </Form>
      )}
    </Modal>
  );
}
