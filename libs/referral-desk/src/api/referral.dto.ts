import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@platform/config';
import { REFERRAL_DEPARTMENTS } from '@platform/contracts';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

const INBOX_STATUSES = [
  'received',
  'acknowledged',
  'accepted',
  'declined',
  'completed',
  'returned',
  'revoked',
  'transferred',
];

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INBOX_STATUSES })
  @IsOptional()
  @IsIn(INBOX_STATUSES, { message: `status 应为 ${INBOX_STATUSES.join('、')} 之一` })
  status?: string;

  @ApiPropertyOptional({ description: 'Only referrals that missed a deadline' })
  @IsOptional()
  @Type(() => Boolean)
  @IsBoolean()
  overdue?: boolean;
}

export class ReasonDto {
  @ApiProperty({ description: '理由', example: '该需求不属于本部门职责' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class TransferDto {
  @ApiProperty({ enum: REFERRAL_DEPARTMENTS, description: '移交给哪个部门（平台上办理转办的其他部门）' })
  @IsIn([...REFERRAL_DEPARTMENTS], {
    message: `toDepartment 应为 ${REFERRAL_DEPARTMENTS.join('、')} 之一（平台上办理转办的部门）`,
  })
  toDepartment: string;

  @ApiProperty({ description: '移交理由', example: '该需求属于住房救助范围，应由住建部门办理' })
  @IsString({ message: 'reason（移交理由）应为文字' })
  @MinLength(1, { message: 'reason（移交理由）不能为空' })
  @MaxLength(1000, { message: 'reason（移交理由）不能超过1000个字符' })
  reason: string;
}

export class NoteDto {
  @ApiProperty({ description: '进度说明', example: '已联系申请人，预约下周入户' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note: string;
}

export class CompleteDto {
  @ApiProperty({ enum: ['granted', 'not_eligible', 'returned'] })
  @IsIn(['granted', 'not_eligible', 'returned'])
  outcome: 'granted' | 'not_eligible' | 'returned';

  @ApiPropertyOptional({ description: '救助金额（元）', example: 3000 })
  @ValidateIf((o: CompleteDto) => o.amount !== undefined && o.amount !== null)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(10_000_000)
  amount?: number | null;

  @ApiPropertyOptional({ description: '服务内容', example: '纳入大病保险二次报销' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  service?: string;

  @ApiPropertyOptional({ description: '不符合条件或退回的理由' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
