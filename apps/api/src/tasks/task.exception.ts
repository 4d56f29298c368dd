import { HttpStatus } from '@nestjs/common';
import { USER_ROLE_LABELS, isUserRole, taskKindLabel } from '../../../../libs/domain';
import { ApiException } from '../common/api.exception';

export enum TaskErrorCode {
  TaskNotFound = 'TASK_NOT_FOUND',
  TaskNotOpen = 'TASK_NOT_OPEN',
  TaskAlreadyClaimed = 'TASK_ALREADY_CLAIMED',
  TaskNotClaimed = 'TASK_NOT_CLAIMED',
  TaskRoleMismatch = 'TASK_ROLE_MISMATCH',
  TaskOutsideRegion = 'TASK_OUTSIDE_REGION',
  TaskAddressedToOther = 'TASK_ADDRESSED_TO_OTHER',
  ReleaseForbidden = 'TASK_RELEASE_FORBIDDEN',
  AssignForbidden = 'TASK_ASSIGN_FORBIDDEN',
  AssigneeNotFound = 'ASSIGNEE_NOT_FOUND',
  AssigneeInactive = 'ASSIGNEE_INACTIVE',
  AssigneeRoleMismatch = 'ASSIGNEE_ROLE_MISMATCH',
  AssigneeRegionMismatch = 'ASSIGNEE_REGION_MISMATCH',
  AssigneeNotAddressee = 'ASSIGNEE_NOT_ADDRESSEE',
  InvalidCursor = 'INVALID_CURSOR',
  BulkAssigneeRequired = 'BULK_ASSIGNEE_REQUIRED',
}

const roleLabel = (role: string) => (isUserRole(role) ? USER_ROLE_LABELS[role] : role);

/** Errors of the tasks module (待办). */
export class TaskException extends ApiException {
  static notFound(key: string): TaskException {
    return new TaskException(HttpStatus.NOT_FOUND, TaskErrorCode.TaskNotFound, '待办不存在或不在您的辖区内', 'No such task in your region', { key });
  }

  static notOpen(key: string, kind: string): TaskException {
    return new TaskException(HttpStatus.CONFLICT, TaskErrorCode.TaskNotOpen, `「${taskKindLabel(kind)}」待办已办结，不能再认领、退回或分派`, `The task (${kind}) is done`, { key, kind });
  }

  static alreadyClaimed(key: string, claimedBy: { id: string; name: string | null }): TaskException {
    return new TaskException(
      HttpStatus.CONFLICT,
      TaskErrorCode.TaskAlreadyClaimed,
      `该待办已由${claimedBy.name ?? '他人'}认领，不能重复认领`,
      `The task is already claimed by ${claimedBy.name ?? 'someone else'}`,
      { key, claimedById: claimedBy.id, claimedByName: claimedBy.name },
    );
  }

  static notClaimed(key: string): TaskException {
    return new TaskException(HttpStatus.CONFLICT, TaskErrorCode.TaskNotClaimed, '该待办尚无人认领，无需退回', 'The task is not claimed', { key });
  }

  static roleMismatch(key: string, taskRole: string, userRole: string): TaskException {
    return new TaskException(
      HttpStatus.FORBIDDEN,
      TaskErrorCode.TaskRoleMismatch,
      `该待办应由${roleLabel(taskRole)}办理，${roleLabel(userRole)}不能认领`,
      `The task is for the role ${taskRole}, not ${userRole}`,
      { key, assigneeRole: taskRole, role: userRole },
    );
  }

  static outsideRegion(key: string): TaskException {
    return new TaskException(
      HttpStatus.FORBIDDEN,
      TaskErrorCode.TaskOutsideRegion,
      '该待办不属于您所在的区域，不能认领',
      'The task belongs to another region than yours',
      { key },
    );
  }

  static addressedToOther(key: string): TaskException {
    return new TaskException(
      HttpStatus.FORBIDDEN,
      TaskErrorCode.TaskAddressedToOther,
      '该待办已指定由联系领导本人办理，不能认领',
      'The task is addressed to a specific person',
      { key },
    );
  }

  static releaseForbidden(key: string): TaskException {
    return new TaskException(
      HttpStatus.FORBIDDEN,
      TaskErrorCode.ReleaseForbidden,
      '只有认领人或有权分派该待办的领导可以退回',
      'Only the claimer or someone who may assign the task can release it',
      { key },
    );
  }

  static assignForbidden(key: string): TaskException {
    return new TaskException(
      HttpStatus.FORBIDDEN,
      TaskErrorCode.AssignForbidden,
      '乡镇党委书记只能分派本乡镇（含所辖村、社区）的待办，县级待办由县委组织部分派',
      `You may not assign the task: a township party secretary assigns only tasks of their township subtree`,
      { key },
    );
  }

  static assigneeNotFound(userId: string): TaskException {
    return new TaskException(HttpStatus.NOT_FOUND, TaskErrorCode.AssigneeNotFound, '被分派的用户不存在或不在您的辖区内', 'No such user in your region', { userId });
  }

  static assigneeInactive(userId: string, name: string): TaskException {
    return new TaskException(HttpStatus.BAD_REQUEST, TaskErrorCode.AssigneeInactive, `用户${name}已停用，不能分派待办`, `${name} is inactive`, { userId });
  }

  static assigneeRoleMismatch(userId: string, name: string, taskRole: string, userRole: string): TaskException {
    return new TaskException(
      HttpStatus.BAD_REQUEST,
      TaskErrorCode.AssigneeRoleMismatch,
      `该待办应由${roleLabel(taskRole)}办理，${name}是${roleLabel(userRole)}，不能分派`,
      `${name} holds the role ${userRole}, the task needs ${taskRole}`,
      { userId, assigneeRole: taskRole, role: userRole },
    );
  }

  static assigneeRegionMismatch(userId: string, name: string): TaskException {
    return new TaskException(
      HttpStatus.BAD_REQUEST,
      TaskErrorCode.AssigneeRegionMismatch,
      `${name}不属于该待办所在的区域，不能分派`,
      `${name} is not bound to the task's region`,
      { userId },
    );
  }

  static assigneeNotAddressee(key: string, userId: string): TaskException {
    return new TaskException(
      HttpStatus.BAD_REQUEST,
      TaskErrorCode.AssigneeNotAddressee,
      '该待办已指定由联系领导本人办理，不能分派给他人',
      'The task is addressed to a specific person, not this user',
      { key, userId },
    );
  }

  static invalidCursor(): TaskException {
    return new TaskException(HttpStatus.BAD_REQUEST, TaskErrorCode.InvalidCursor, '翻页游标（cursor）无效', 'Invalid cursor', { field: 'cursor' });
  }

  static bulkAssigneeRequired(): TaskException {
    return new TaskException(HttpStatus.BAD_REQUEST, TaskErrorCode.BulkAssigneeRequired, '批量分派须指定被分派人（userId）', 'Bulk assign needs userId', { field: 'userId' });
  }
}
