import { Alert, Button, Card, Form, Input, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api';
import { beijingTime } from '../labels';

interface Progress {
  caseNumber: string;
  statusName: string;
  acceptedAt: string | null;
  needs: {
    categoryName: string;
    departmentName: string | null;
    status: string;
    statusName: string;
    /** What a finished need came to, or the government's handling, in plain Chinese. */
    outcome: string | null;
    updatedAt: string | null;
  }[];
}

const colourOf = (status: string) =>
  status === 'completed' || status === 'government_responded'
    ? 'green'
    : status === 'declined' || status === 'returned'
      ? 'orange'
      : 'blue';

/** 办理进度查询: for citizens, on a phone, without an account. */
export default function ProgressPage() {
  const [result, setResult] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: { caseNumber: string; queryCode: string }) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const q = new URLSearchParams({ caseNumber: v.caseNumber.trim(), queryCode: v.queryCode.trim() });
      setResult(await api<Progress>('GET', `/public/progress?${q}`));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '查询失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ maxWidth: 560, margin: '0 auto', padding: 16, minHeight: '100vh', background: '#f5f7fa' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        办理进度查询
      </Typography.Title>
      <Typography.Paragraph style={{ color: '#444' }}>
        请输入受理通知书上的案件编号和查询码，查看每项求助由哪个部门办理、办到哪一步。
      </Typography.Paragraph>
      <Card>
        <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            label="案件编号"
            name="caseNumber"
            rules={[{ required: true, message: '请输入案件编号' }]}
          >
            <Input placeholder="例如 150802-2026-000001" autoComplete="off" size="large" />
          </Form.Item>
          <Form.Item
            label="查询码"
            name="queryCode"
            extra={
              // antd's hint grey is below 4.5:1 on white.
              <span style={{ color: '#595959' }}>
                10 位字母数字，不区分大小写；连续输错 5 次将暂停查询，请到受理窗口重新领取
              </span>
            }
            rules={[{ required: true, message: '请输入查询码' }]}
          >
            <Input
              placeholder="例如 K7M4Q-X9TNP"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              size="large"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            查询
          </Button>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginTop: 16 }} />}
      {result && (
        <Card style={{ marginTop: 16 }} title={`案件 ${result.caseNumber}`} data-testid="progress-result">
          <Typography.Paragraph>
            案件状态：{result.statusName}
            {result.acceptedAt ? `（${beijingTime(result.acceptedAt)} 受理）` : ''}
          </Typography.Paragraph>
          <List
            dataSource={result.needs}
            renderItem={(n) => (
              <List.Item>
                <div style={{ width: '100%' }}>
                  <Typography.Text strong>{n.categoryName}</Typography.Text>
                  <div>办理部门：{n.departmentName ?? '待确定'}</div>
                  <div>
                    办理状态：<Tag color={colourOf(n.status)}>{n.statusName}</Tag>
                  </div>
                  {n.outcome && <div>办理结果：{n.outcome}</div>}
                  <div style={{ color: '#555' }}>更新时间：{beijingTime(n.updatedAt)}</div>
                </div>
              </List.Item>
            )}
          />
        </Card>
      )}
      <nav
        aria-label="其他公众服务"
        style={{ marginTop: 24, display: 'flex', flexWrap: 'wrap', gap: '8px 24px' }}
      >
        <Link to="/notices">低保、特困供养公示（提出异议）</Link>
        <Link to="/notices/recipients">保障对象长期公示</Link>
      </nav>
    </main>
  );
}
