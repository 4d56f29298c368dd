import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ILike, Repository } from 'typeorm';
import { OrganizationEntity } from '../../../../libs/persistence';

export class ListOrganizationsQuery {
  @ApiPropertyOptional({ description: '乡镇（街道） / township id', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;

  @ApiPropertyOptional({ description: '名称关键字 / name contains' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

@ApiTags('基层党组织 organizations')
@Controller('organizations')
export class OrganizationsController {
  constructor(@InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>) {}

  @Get()
  @ApiOperation({ summary: '基层党组织列表 / list organizations' })
  async list(@Query() query: ListOrganizationsQuery) {
    const where: Record<string, unknown> = {};
    if (query.townshipId) where.townshipId = query.townshipId;
    if (query.q) where.name = ILike(`%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    const [items, total] = await this.organizations.findAndCount({
      where,
      order: { code: 'ASC' },
      take: query.limit ?? 50,
      skip: query.offset ?? 0,
    });
    return { total, items };
  }
}
