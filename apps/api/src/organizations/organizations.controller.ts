import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Repository } from 'typeorm';
import { OrganizationEntity } from '../../../../libs/persistence';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { ScopeService } from '../scope/scope.service';

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
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationsController {
  constructor(
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    private readonly scope: ScopeService,
  ) {}

  @Get()
  @ApiOperation({ summary: '基层党组织列表 / list organizations' })
  async list(@CurrentUser() user: AuthUser, @Query() query: ListOrganizationsQuery) {
    const qb = this.organizations.createQueryBuilder('o');
    if (query.townshipId) qb.andWhere('o.township_id = :townshipId', { townshipId: query.townshipId });
    if (query.q) qb.andWhere(`o.name ILIKE :q ESCAPE '\\'`, { q: `%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` });
    // A village-level user sees their own organization: it sits in their region.
    this.scope.restrict(qb, user, 'o', 'id');
    const [items, total] = await qb
      .orderBy('o.code', 'ASC')
      .take(query.limit ?? 50)
      .skip(query.offset ?? 0)
      .getManyAndCount();
    return { total, items };
  }
}
