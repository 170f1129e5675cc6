import { Card, Typography } from 'antd';
import { useServerPage } from '../hooks';
import { beijingTimeSeconds } from '../labels';
import { muted, nowrap, ServerTable } from '../ui';

interface Erasure {
  erasureId: string;
  personRef: string;
  keys: number;
  erasedBy: string;
  reason: string;
  erasedAt: string;
}

/**
 * 个人信息删除记录: each erasure (npm run personal-data:erase) with who made it, on what grounds and when.
 * The record of the acts stays whole: only the person's details were forgotten.
 */
export default function AuditErasuresPage() {
  const list = useServerPage<Erasure>('/oversight/personal-data/erasures', {});
  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 20 }}>
        个人信息删除记录
      </Typography.Title>
      <Typography.Paragraph style={muted}>
        依申请删除个人信息后，相关家庭案件在各部门的姓名、身份证号、联系方式和困难情况显示为“（已删除）”；办理记录、时间、经办人、金额和完整性校验不受影响。删除由系统运维以数据库属主身份执行（npm
        run personal-data:erase），每次删除都记录在此。
      </Typography.Paragraph>
      <ServerTable<Erasure>
        list={list}
        rowKey="erasureId"
        empty="尚无删除记录"
        scrollX={false}
        columns={[
          { title: '编号', dataIndex: 'erasureId', width: 80 },
          {
            title: '删除时间（北京时间）',
            dataIndex: 'erasedAt',
            render: (v: string) => nowrap(beijingTimeSeconds(v)),
          },
          { title: '执行人', dataIndex: 'erasedBy' },
          { title: '删除依据', dataIndex: 'reason' },
          { title: '涉及案件或记录（个）', dataIndex: 'keys', width: 160 },
          {
            title: '被删除人索引',
            dataIndex: 'personRef',
            render: (v: string) => <code title="身份证号的加密索引，不可反推身份证号">{v}</code>,
          },
        ]}
      />
    </Card>
  );
}
