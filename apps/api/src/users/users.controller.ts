import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { Repository } from 'typeorm';
import { USER_ROLES, type UserRole } from '../../../../libs/domain';
import { AppUserEntity } from '../../../../libs/persistence';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';

export class ListUsersQuery {
  @ApiPropertyOptional({ description: '角色（逗号分隔） / roles, comma separated', example: 'county_leader,county_party_secretary' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsArray()
  @ArrayMaxSize(USER_ROLES.length)
  @IsIn(USER_ROLES, { each: true })
  roles?: UserRole[];
}

export interface UserSummary {
  id: string;
  name: string;
  title: string;
  role: UserRole;
  regionId: string;
}

/**
 * Active users the caller may choose from — a contact leader to assign, a colleague to give a task
 * — within the caller's region subtree (the county organization department sees the whole county).
 */
@ApiTags('用户 users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(@InjectRepository(AppUserEntity) private readonly users: Repository<AppUserEntity>) {}

  @Get()
  @Roles('county_org_admin', 'township_party_secretary', 'inspector')
  @ApiOperation({ summary: '本辖区用户（可按角色筛选） / active users of my region, by role' })
  async list(@CurrentUser() user: AuthUser, @Query() query: ListUsersQuery): Promise<{ items: UserSummary[] }> {
    const regionPath = `/${[user.countyId, user.townshipId, user.villageId].filter(Boolean).join('/')}/`;
    const qb = this.users
      .createQueryBuilder('u')
      .innerJoin('region', 'r', 'r.id = u.region_id')
      .where('u.active')
      .andWhere('r.path LIKE :prefix', { prefix: `${regionPath}%` });
    if (query.roles?.length) qb.andWhere('u.role IN (:...roles)', { roles: query.roles });
    const rows = await qb.orderBy('u.role').addOrderBy('u.display_name').limit(500).getMany();
    return { items: rows.map((u) => ({ id: u.id, name: u.displayName, title: u.title, role: u.role, regionId: u.regionId })) };
  }
}
