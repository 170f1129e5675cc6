import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query as QueryParams,
} from '@nestjs/common';
import {
  Command,
  CommandBus,
  CommandHandler,
  Query,
  QueryBus,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { beijingMinute, DomainError } from '@platform/contracts';
import {
  CHANNEL_NAMES,
  maskRecipient,
  NOTIFICATION_KIND_NAMES,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUS_NAMES,
  NOTIFICATION_STATUSES,
  NotificationRow,
  type Channel,
  type NotificationDispatcher,
  type NotificationKind,
  type NotificationStatus,
} from '@platform/notifications';
import { READ_MODEL, manyAndCount } from '@platform/read-model';
import { IsIn, IsOptional } from 'class-validator';
import type { DataSource } from 'typeorm';

export const NOTIFICATION_DISPATCHER = Symbol('NOTIFICATION_DISPATCHER');

export class NotificationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: NOTIFICATION_STATUSES,
    description: '待发送 / 已发送 / 发送失败（已停止重试）',
  })
  @IsOptional()
  @IsIn([...NOTIFICATION_STATUSES], {
    message: `状态（status）应为 ${NOTIFICATION_STATUSES.join('、')} 之一`,
  })
  status?: NotificationStatus;

  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS })
  @IsOptional()
  @IsIn([...NOTIFICATION_KINDS], { message: `类型（kind）应为 ${NOTIFICATION_KINDS.join('、')} 之一` })
  kind?: NotificationKind;
}

export interface NotificationView {
  id: string;
  kind: string;
  kindName: string;
  channel: string;
  channelName: string;
  /** Masked: an administrator recognises the recipient without reading a resident's phone or email. */
  recipient: string;
  subject: string;
  status: string;
  statusName: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  /** Beijing time, to the minute. */
  createdAtText: string;
  sentAtText: string | null;
  nextAttemptAtText: string | null;
}

function view(r: NotificationRow): NotificationView {
  return {
    id: r.id,
    kind: r.kind,
    kindName: NOTIFICATION_KIND_NAMES[r.kind as NotificationKind] ?? r.kind,
    channel: r.channel,
    channelName: CHANNEL_NAMES[r.channel as Channel] ?? r.channel,
    recipient: maskRecipient(r.channel as Channel, r.recipient),
    subject: r.subject,
    status: r.status,
    statusName: NOTIFICATION_STATUS_NAMES[r.status as NotificationStatus] ?? r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    createdAtText: beijingMinute(r.createdAt),
    sentAtText: r.sentAt ? beijingMinute(r.sentAt) : null,
    nextAttemptAtText: r.status === 'pending' ? beijingMinute(r.nextAttemptAt) : null,
  };
}

export class ListNotificationsQuery extends Query<{
  items: NotificationView[];
  total: number;
  page: number;
  pageSize: number;
}> {
  constructor(readonly filter: NotificationListQueryDto) {
    super();
  }
}

@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery> {
  constructor(@Inject(READ_MODEL) private readonly dataSource: DataSource) {}

  async execute({ filter: f }: ListNotificationsQuery) {
    const qb = this.dataSource.getRepository(NotificationRow).createQueryBuilder('n');
    if (f.status) qb.andWhere('n.status = :status', { status: f.status });
    if (f.kind) qb.andWhere('n.kind = :kind', { kind: f.kind });
    // Failures first: they are what an administrator acts on.
    qb.orderBy(`CASE n.status WHEN 'dead' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END`, 'ASC')
      .addOrderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'ASC')
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize);
    const [rows, total] = await manyAndCount(qb);
    return { items: rows.map(view), total, page: f.page, pageSize: f.pageSize };
  }
}

export class ResendNotificationCommand extends Command<NotificationView> {
  constructor(readonly id: string) {
    super();
  }
}

@CommandHandler(ResendNotificationCommand)
export class ResendNotificationHandler implements ICommandHandler<ResendNotificationCommand> {
  constructor(
    @Inject(READ_MODEL) private readonly dataSource: DataSource,
    @Inject(NOTIFICATION_DISPATCHER) private readonly dispatcher: NotificationDispatcher,
  ) {}

  async execute({ id }: ResendNotificationCommand): Promise<NotificationView> {
    const repo = this.dataSource.getRepository(NotificationRow);
    const before = await repo.findOneBy({ id });
    if (!before) throw new DomainError('NOTIFICATION_NOT_FOUND', '通知不存在', 404);
    if (!(await this.dispatcher.resend(id)))
      throw new DomainError(
        'NOTIFICATION_NOT_DEAD',
        `只能重新发送“发送失败（已停止重试）”的通知；该通知当前为“${NOTIFICATION_STATUS_NAMES[before.status as NotificationStatus] ?? before.status}”`,
        409,
      );
    return view((await repo.findOneBy({ id }))!);
  }
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  @Get()
  @Roles('notifications:list', 'admin', 'auditor')
  @ApiOperation({
    summary: '通知发送记录（办结告知短信/邮件、业务系统推送），发送失败的在前，分页；收件人已部分隐藏',
  })
  list(@QueryParams() q: NotificationListQueryDto) {
    return this.queries.execute(new ListNotificationsQuery(q));
  }

  @Post(':id/resend')
  @HttpCode(200)
  @Roles('notifications:resend', 'admin')
  @ApiOperation({ summary: '重新发送一条已停止重试的通知（重试次数从头计）' })
  resend(@Param('id', ParseUUIDPipe) id: string) {
    return this.commands.execute(new ResendNotificationCommand(id));
  }
}
