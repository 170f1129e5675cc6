import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsResidentId } from '@platform/auth';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * 台账查询 by a household's members: the request body the housing and education registers share. Not a
 * schema of its own: each department declares its own subclass (`HousingRegisterLookupDto`, …) so that
 * Swagger names stay unique when every department runs in one process.
 */
export abstract class RegisterLookupDto {
  @ApiProperty({ type: [String], description: '家庭成员身份证号码' })
  @IsArray({ message: '身份证号码应为数组' })
  @ArrayMinSize(1, { message: '至少列出一个身份证号码' })
  @ArrayMaxSize(30, { message: '一次最多查询30人' })
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v)) : value,
  )
  @IsResidentId({ each: true })
  idNumbers: string[];

  @ApiPropertyOptional({
    description: '查询目的（记入个人信息查看记录）',
    example: '低保申请家庭经济状况核对',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: '查询目的不能超过200个字' })
  purpose?: string;
}
