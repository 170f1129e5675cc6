import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@platform/config';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class AccessLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only views of this case' })
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiPropertyOptional({ description: 'Only views by this user' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actorId?: string;
}
