import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CadreRank, UserRole } from '../../domain';

/** A person who signs in: one role, bound to one region (county, township or village). */
@Entity({ name: 'app_user' })
export class AppUserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 50 })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 50 })
  displayName!: string;

  /** Post held (职务), e.g. 县委常委、组织部长; shown when the user is a contact leader. */
  @Column({ type: 'varchar', length: 100, default: '' })
  title!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: UserRole;

  @Index()
  @Column({ name: 'region_id', type: 'uuid' })
  regionId!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;

  /**
   * 科级 or not. Stored for the county's roster; the case's team-leader rule checks the rank given
   * with each member when the township appoints the team (team members are records, not accounts).
   */
  @Column({ name: 'cadre_rank', type: 'varchar', length: 16, nullable: true })
  cadreRank!: CadreRank | null;

  /** The password is a one-time password (new account, reset): only changing it is allowed. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  /** Raised by signing out and by a password change or reset: tokens carrying an older version are refused. */
  @Column({ name: 'session_version', type: 'int', default: 0 })
  sessionVersion!: number;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
