import { Alert, App, Button, Card, Descriptions, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, openPrintable } from '../api';
import { beijingTime, label, RELATIONSHIP_NAMES, URGENCY_NAMES } from '../labels';
import { useSession } from '../session';
import { CoordinationOpenButton } from './CoordinationOpenButton';
import { SocialServiceAssignButton } from './SocialServiceAssignButton';
import DibaoActions from './DibaoActions';
import type { DibaoView, Member, Officer, Review } from './DibaoTypes';
import { OVERDUE_STYLE, statusStyle } from './DibaoListPage';

const MUTED = { color: '#595959' };
/** Why this officer opens the household's personal data: recorded with each view. */
const PURPOSE = '低保特困审核办理';
const LABEL = { width: 150, whiteSpace: 'nowrap' } as const;
const SAMPLE_REASONS: Record<string, string> = {
  staff_relative: '经办人员或村（居）干部近亲属申请，必须入户核查',
  random: '随机抽中，须入户抽查',
  quota: '本月抽查比例未达到，须入户抽查',
  not_sampled: '未抽中，无需入户抽查',
};
export const officerText = (o: Officer | null | undefined) => (o ? `${o.name}（${o.roleName}）` : '系统');
const yuan = (n: number | null | undefined) => (n != null ? `${n.toLocaleString('zh-CN')} 元` : '—');
const recommendationText = (r: Review) => (r.recommendation === 'approve' ? '同意保障' : '不同意保障');
const by = (o: Officer, at: string) => (
  <Typography.Text style={MUTED}>
    （{officerText(o)}，{beijingTime(at)}）
  </Typography.Text>
);

export function documentPath(applicationId: string, number: string): string {
  return `/civil-affairs/dibao/applications/${applicationId}/documents/${encodeURIComponent(number)}`;
}

export default function DibaoApplicationPage() {
  const { id } = useParams();
  const { session } = useSession();
  const { message } = App.useApp();
  const [view, setView] = useState<DibaoView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const v = await api<DibaoView>(
        'GET',
        `/civil-affairs/dibao/applications/${id}?purpose=${encodeURIComponent(PURPOSE)}`,
      );
      setView(v);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败');
    }
  }, [id]);
  useEffect(() => void load(), [load]);

  const print = (number: string) =>
    openPrintable(documentPath(view!.applicationId, number)).catch((e) =>
      message.error(e instanceof ApiError ? e.message : '打开文书失败'),
    );

  if (!view) {
    return error ? (
      <Alert type="error" showIcon message={error} />
    ) : (
      <div role="status" style={{ padding: 48, textAlign: 'center' }}>
        <Spin tip="正在加载…">
          <div style={{ height: 48 }} />
        </Spin>
      </div>
    );
  }

  const inv = view.investigation;
  const nameOf = (idNumber: string | null) =>
    idNumber ? (inv?.household.find((m) => m.idNumber === idNumber)?.name ?? idNumber) : '家庭共有';
  const pendingObjections = view.objections.filter((o) => o.status === 'pending');

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            {view.programName}申请 · {view.applicant?.name ?? '（申请人未登记）'}
          </Typography.Title>
        }
        extra={
          <Space>
            {session?.user.role === 'county_civil_affairs' && (
              <CoordinationOpenButton
                caseId={view.caseId}
                caseNumber={view.caseNumber}
                villageCode={view.villageCode}
              />
            )}
            {session?.user.role === 'county_civil_affairs' && view.applicant && (
              <SocialServiceAssignButton
                caseId={view.caseId}
                caseNumber={view.caseNumber}
                villageCode={view.villageCode}
                householdName={view.applicant.name}
              />
            )}
            <Link to="/workbench/civil-affairs/dibao">返回审核列表</Link>
          </Space>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          {view.overdue.length > 0 && (
            <Alert
              type="error"
              showIcon
              message={`已逾期：${view.overdue.map((o) => o.stepName).join('、')}`}
            />
          )}
          {pendingObjections.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message={`公示期间收到异议（${pendingObjections.map((o) => o.reference).join('、')}），复核决定前暂停办理`}
            />
          )}
          {view.staffRelative && (
            <Alert
              type="warning"
              showIcon
              message="涉及经办人员或村（居）干部近亲属：由旗县区民政部门审批，须备案并入户核查"
              description={view.staffMatches
                .map((m) => `${m.organisation}${m.staffPosition}${m.staffName}（${m.relationship}）`)
                .join('；')}
            />
          )}
          {view.mustReject && <Alert type="warning" showIcon message="异议成立：只能作出不予保障决定" />}
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" labelStyle={LABEL}>
            <Descriptions.Item label="办理状态">
              <Tag style={statusStyle(view.status)} data-testid="dibao-status">
                {view.statusName}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label="审核确认">{view.decidedByName}</Descriptions.Item>
            <Descriptions.Item label="申请人">
              {view.applicant
                ? `${view.applicant.name}（${view.applicant.idNumber}${view.applicant.phone ? `，${view.applicant.phone}` : ''}）`
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="案件编号">{view.caseNumber}</Descriptions.Item>
            <Descriptions.Item label="所在地">{view.place.fullName}</Descriptions.Item>
            <Descriptions.Item label="适用标准">{view.areaName}</Descriptions.Item>
            <Descriptions.Item label="困难情况">{view.description}</Descriptions.Item>
            <Descriptions.Item label="紧急程度">{label(URGENCY_NAMES, view.urgency)}</Descriptions.Item>
            <Descriptions.Item label="民政部门接收">{beijingTime(view.receivedAt)}</Descriptions.Item>
            <Descriptions.Item label="当前月保障金">{yuan(view.currentMonthlyAmount)}</Descriptions.Item>
          </Descriptions>
          {view.deadlines.length > 0 && (
            <Table
              size="small"
              rowKey="step"
              pagination={false}
              title={() => <strong>办理期限（北京时间）</strong>}
              dataSource={view.deadlines}
              columns={[
                { title: '环节', dataIndex: 'stepName' },
                { title: '期限', dataIndex: 'dueAt', render: (t: string) => beijingTime(t) },
                {
                  title: '情况',
                  render: (_: unknown, d) =>
                    d.overdue ? (
                      <Tag style={OVERDUE_STYLE}>已逾期</Tag>
                    ) : d.done ? (
                      '已完成'
                    ) : (
                      `办理中${d.extended ? '（已延长）' : ''}`
                    ),
                },
              ]}
            />
          )}
        </Space>
      </Card>

      <DibaoActions view={view} role={session!.user.role} onDone={load} />

      <Card
        title={
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
            入户调查与家庭经济状况
          </Typography.Title>
        }
      >
        {inv ? (
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Descriptions column={1} bordered size="small" labelStyle={LABEL}>
              <Descriptions.Item label="入户调查">
                {inv.date}，调查人员 {inv.investigators.join('、')}，在场成员 {inv.membersPresent.join('、')}
                {by(inv.by, inv.at)}
              </Descriptions.Item>
              <Descriptions.Item label="居住和生活状况">{inv.livingConditions}</Descriptions.Item>
              <Descriptions.Item label="适用标准">{inv.area === 'urban' ? '城市' : '农村'}</Descriptions.Item>
              {inv.specialHardship && (
                <Descriptions.Item label="特困人员条件">
                  无劳动能力：{inv.specialHardship.noWorkCapacity ? '是' : '否'}；无生活来源：
                  {inv.specialHardship.noIncomeSource ? '是' : '否'}；无法定义务人或其无履行能力：
                  {inv.specialHardship.noSupporterAble ? '是' : '否'}
                </Descriptions.Item>
              )}
            </Descriptions>
            <Table<Member>
              size="small"
              rowKey="idNumber"
              pagination={false}
              title={() => <strong>共同生活的家庭成员</strong>}
              dataSource={inv.household}
              columns={[
                { title: '姓名', dataIndex: 'name' },
                { title: '身份证号码', dataIndex: 'idNumber' },
                {
                  title: '与申请人关系',
                  dataIndex: 'relationship',
                  render: (r: string) => label(RELATIONSHIP_NAMES, r),
                },
                {
                  title: '情况',
                  render: (_: unknown, m) =>
                    [m.disabled && '持有残疾证', m.seriousIllness && '患重特大疾病']
                      .filter(Boolean)
                      .join('、') || '—',
                },
              ]}
            />
            <Table
              size="small"
              rowKey={(_, i) => String(i)}
              pagination={false}
              title={() => <strong>收入</strong>}
              dataSource={inv.incomes}
              locale={{ emptyText: '无收入' }}
              columns={[
                { title: '来源', dataIndex: 'source' },
                { title: '所属成员', dataIndex: 'memberIdNumber', render: (i: string | null) => nameOf(i) },
                { title: '月收入', dataIndex: 'monthlyAmount', render: yuan },
              ]}
            />
            <Table
              size="small"
              rowKey={(_, i) => String(i)}
              pagination={false}
              title={() => <strong>财产</strong>}
              dataSource={inv.assets}
              locale={{ emptyText: '无登记财产' }}
              columns={[
                { title: '类别', dataIndex: 'kind' },
                { title: '说明', dataIndex: 'description' },
                { title: '估值', dataIndex: 'value', render: yuan },
              ]}
            />
          </Space>
        ) : (
          <Typography.Text style={MUTED}>尚未记录入户调查。</Typography.Text>
        )}
      </Card>

      <Card
        title={
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
            审核审批环节
          </Typography.Title>
        }
      >
        <div data-testid="dibao-steps">
          <Descriptions column={1} bordered size="small" labelStyle={LABEL}>
            <Descriptions.Item label="家庭经济状况核对">
              {view.verification ? (
                <>
                  {view.verification.findings.map((f) => `${f.department}：${f.findings}`).join('；')}。结论：
                  {view.verification.conclusion}
                  {by(view.verification.by, view.verification.at)}
                </>
              ) : (
                '尚未记录'
              )}
            </Descriptions.Item>
            <Descriptions.Item label="民主评议">
              {!view.appraisal ? (
                '尚未记录'
              ) : view.appraisal.held ? (
                <>
                  {view.appraisal.date}，应到 {view.appraisal.participantsDue} 人，实到{' '}
                  {view.appraisal.attended} 人，同意 {view.appraisal.agreed} 人：
                  <strong>
                    {!view.appraisal.valid
                      ? '评议无效（出席不足应到人数三分之二，须重新评议）'
                      : view.appraisal.passed
                        ? '评议通过'
                        : '评议未通过'}
                  </strong>
                  。{view.appraisal.record}
                  {by(view.appraisal.by, view.appraisal.at)}
                </>
              ) : (
                <>
                  不开展民主评议：{view.appraisal.reason}
                  {by(view.appraisal.by, view.appraisal.at)}
                </>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="乡镇（街道）审核">
              {view.townshipReview ? (
                <>
                  <strong>{recommendationText(view.townshipReview)}</strong>：{view.townshipReview.opinion}
                  {by(view.townshipReview.by, view.townshipReview.at)}
                </>
              ) : (
                '尚未提出审核意见'
              )}
            </Descriptions.Item>
            <Descriptions.Item label="公示">
              {view.notices.length === 0
                ? '尚未公示'
                : view.notices.map((n) => (
                    <div key={`${n.kind}-${n.startsAt}`}>
                      {n.name}：{beijingTime(n.startsAt)} 至 {beijingTime(n.endsAt)}
                      {by(n.by, n.startsAt)}
                    </div>
                  ))}
            </Descriptions.Item>
            <Descriptions.Item label="报送旗县区">
              {view.submittedAt ? beijingTime(view.submittedAt) : '尚未报送'}
            </Descriptions.Item>
            {view.staffRelative && (
              <Descriptions.Item label="近亲属备案">
                {view.staffRelativeFiling ? (
                  <>
                    {view.staffRelativeFiling.note}
                    {by(view.staffRelativeFiling.by, view.staffRelativeFiling.at)}
                  </>
                ) : (
                  '尚未备案'
                )}
              </Descriptions.Item>
            )}
            <Descriptions.Item label="入户抽查">
              {view.spotCheckSample ? (
                <div>
                  抽查样本（{view.spotCheckSample.month}，抽查比例 {view.spotCheckSample.percent}%）：
                  {SAMPLE_REASONS[view.spotCheckSample.reason] ?? view.spotCheckSample.reason}
                </div>
              ) : (
                <div>报送后抽取抽查样本</div>
              )}
              {view.spotCheck && (
                <div>
                  {view.spotCheck.visitDate}，核查人员 {view.spotCheck.visitors.join('、')}：
                  {view.spotCheck.findings}（{view.spotCheck.confirmed ? '核查属实' : '与申请情况不符'}）
                  {by(view.spotCheck.by, view.spotCheck.at)}
                </div>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="旗县区审查">
              {view.countyReview ? (
                <>
                  <strong>{recommendationText(view.countyReview)}</strong>：{view.countyReview.opinion}
                  {by(view.countyReview.by, view.countyReview.at)}
                </>
              ) : (
                '尚未审查'
              )}
            </Descriptions.Item>
            <Descriptions.Item label="决定">
              {view.decision ? (
                <div data-testid="dibao-decision">
                  <Space direction="vertical" size={4}>
                    <span>
                      <strong>
                        {view.decision.levelName}：{view.decision.outcomeName}
                      </strong>
                      {view.decision.monthlyAmount != null &&
                        `，月保障金 ${yuan(view.decision.monthlyAmount)}`}
                      ；{view.decision.opinion}
                      {view.decision.reasons.length > 0 && `（理由：${view.decision.reasons.join('；')}）`}
                      {by(view.decision.by, view.decision.at)}
                    </span>
                    {view.decision.allowance && (
                      <Typography.Text style={MUTED}>
                        保障标准 {view.decision.allowance.standardMonthly} 元/人·月，
                        {view.decision.allowance.members} 人，家庭月收入{' '}
                        {view.decision.allowance.householdMonthlyIncome} 元，月人均收入{' '}
                        {view.decision.allowance.perCapitaIncome} 元；基本保障金{' '}
                        {view.decision.allowance.base} 元
                        {view.decision.allowance.supplements.length > 0 &&
                          `，加发 ${view.decision.allowance.supplements
                            .map((s) => `${s.name}（${s.kindNames.join('、')}）${s.amount} 元`)
                            .join('、')}`}
                      </Typography.Text>
                    )}
                    <span>
                      {view.decision.documentName} {view.decision.documentNumber}{' '}
                      <Button size="small" onClick={() => void print(view.decision!.documentNumber)}>
                        打开{view.decision.documentName}
                      </Button>
                    </span>
                  </Space>
                </div>
              ) : (
                '尚未作出决定'
              )}
            </Descriptions.Item>
            {view.rechecks.length > 0 && (
              <Descriptions.Item label="复查">
                {view.rechecks.map((r) => (
                  <div key={r.at}>
                    {r.date}：{r.findings}（{r.conclusionName}）{by(r.by, r.at)}
                  </div>
                ))}
              </Descriptions.Item>
            )}
            {view.changes.length > 0 && (
              <Descriptions.Item label="变更保障金">
                {view.changes.map((c) => (
                  <div key={c.documentNumber}>
                    {yuan(c.previousAmount)} → {yuan(c.monthlyAmount)}：{c.opinion}
                    {by(c.by, c.at)}{' '}
                    <Button size="small" onClick={() => void print(c.documentNumber)}>
                      打开{c.documentName}
                    </Button>
                  </div>
                ))}
              </Descriptions.Item>
            )}
            {view.suspension && (
              <Descriptions.Item label="停止保障">
                {view.suspension.reasons.join('；')}；{view.suspension.opinion}
                {by(view.suspension.by, view.suspension.at)}{' '}
                <Button size="small" onClick={() => void print(view.suspension!.documentNumber)}>
                  打开{view.suspension.documentName}
                </Button>
              </Descriptions.Item>
            )}
            {view.withdrawnReason && (
              <Descriptions.Item label="撤回">{view.withdrawnReason}</Descriptions.Item>
            )}
          </Descriptions>
        </div>
      </Card>

      {view.objections.length > 0 && (
        <Card
          title={
            <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
              公示异议
            </Typography.Title>
          }
        >
          <Table
            size="small"
            rowKey="objectionId"
            pagination={false}
            dataSource={view.objections}
            columns={[
              { title: '异议编号', dataIndex: 'reference' },
              { title: '公示', dataIndex: 'noticeName' },
              { title: '异议内容', dataIndex: 'content' },
              { title: '联系方式', dataIndex: 'contact', render: (c: string | null) => c ?? '未留' },
              { title: '提出时间', dataIndex: 'filedAt', render: (t: string) => beijingTime(t) },
              { title: '复核期限', dataIndex: 'dueAt', render: (t: string) => beijingTime(t) },
              {
                title: '复核结果',
                render: (_: unknown, o) =>
                  o.status === 'pending'
                    ? o.overdue
                      ? '逾期未复核'
                      : '待复核'
                    : `${o.statusName}：${o.opinion ?? ''}（${officerText(o.decidedBy)}，${beijingTime(o.decidedAt)}）`,
              },
            ]}
          />
        </Card>
      )}

      <Card
        title={
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
            办理记录
          </Typography.Title>
        }
      >
        <Timeline
          items={view.history.map((h) => ({
            key: `${h.step}-${h.at}`,
            children: (
              <div>
                <strong>{h.stepName}</strong> {beijingTime(h.at)} · {officerText(h.officer)}
                {h.opinion && <div>{h.opinion}</div>}
              </div>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}
