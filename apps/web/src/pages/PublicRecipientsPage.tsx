import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Pagination, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import { beijingDate, choiceOf, paramsOf, PlacePicker, PublicShell } from './PublicParts';

interface Recipient {
  programName: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  name: string;
  householdSize: number | null;
  monthlyAmount: number | null;
  since: string | null;
}

interface RecipientList extends Page<Recipient> {
  placeName: string | null;
  asOf: string;
}

const PAGE_SIZE = 20;
const yuan = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(2)} 元`;

/** 长期公示: the standing list of a village's (or a whole township's) recipients, names masked, printable. */
export default function PublicRecipientsPage() {
  const [params, setParams] = useSearchParams();
  const choice = choiceOf(params);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<RecipientList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    if (!choice.township) {
      setData(null);
      return;
    }
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (choice.village) q.set('villageCode', choice.village);
    else q.set('townshipCode', choice.township);
    api<RecipientList>('GET', `/public/dibao/recipients?${q}`)
      .then((d) => (setData(d), setError(null)))
      .catch((e) => setError(e instanceof ApiError ? e.message : '公示名单加载失败，请稍后重试'))
      .finally(() => setLoading(false));
  }, [choice.township, choice.village, page]);
  useEffect(load, [load]);

  return (
    <PublicShell
      title="保障对象长期公示"
      intro="已纳入最低生活保障、特困人员救助供养的对象在所在村（社区）长期公示。选择乡镇（街道）查看全乡镇，再选择村（社区）可打印本村（社区）的公示名单。"
    >
      <Card style={{ marginBottom: 16 }}>
        <PlacePicker
          value={choice}
          onChange={(v) => {
            setPage(1);
            setParams(paramsOf(v), { replace: true });
          }}
        />
        {choice.village && (
          <a
            href={`/public/dibao/recipients/print?villageCode=${choice.village}`}
            target="_blank"
            rel="noreferrer"
            style={{
              display: 'inline-flex',
              alignItems: 'center',
              gap: 6,
              padding: '6px 0',
              color: '#1d5fbf',
            }}
          >
            <PrinterOutlined aria-hidden />
            打印本村（社区）公示名单（在新窗口打开）
          </a>
        )}
      </Card>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      {!choice.township ? (
        <Alert type="info" showIcon message="请先选择乡镇（街道），再查看公示名单。" />
      ) : (
        <Spin spinning={loading}>
          <section aria-label="保障对象名单" data-testid="recipient-list">
            {data && (
              <Typography.Paragraph strong>
                {data.placeName ?? ''} 共 {data.total} 户（截至 {beijingDate(data.asOf)}）
              </Typography.Paragraph>
            )}
            {data && data.items.length === 0 && <Empty description="暂无保障对象" />}
            {data?.items.map((r, i) => (
              <Card
                key={`${r.villageCode}-${i}`}
                size="small"
                style={{ marginBottom: 8 }}
                data-testid="recipient"
              >
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 12px', alignItems: 'center' }}>
                  <Typography.Text strong>{r.name}</Typography.Text>
                  <Tag style={{ marginInlineEnd: 0 }}>{r.programName}</Tag>
                  <span>{r.householdSize == null ? '' : `${r.householdSize} 人`}</span>
                  <span>月保障金 {r.monthlyAmount == null ? '—' : yuan(r.monthlyAmount)}</span>
                </div>
                <div style={{ color: '#555' }}>
                  {r.townshipName}
                  {r.villageName}，{r.since ? `${beijingDate(r.since)}起保障` : '保障起始日期待登记'}
                </div>
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
          </section>
        </Spin>
      )}
      <Typography.Paragraph style={{ marginTop: 16 }}>
        <Link to={{ pathname: '/notices', search: new URLSearchParams(paramsOf(choice)).toString() }}>
          查看正在公示的申请，或提出异议
        </Link>
      </Typography.Paragraph>
    </PublicShell>
  );
}
