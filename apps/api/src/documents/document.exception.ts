import { HttpStatus } from '@nestjs/common';
import { DOCUMENT_KIND_LABELS, ESCALATION_RUNG_LABELS, type EscalationRung } from '../../../../libs/domain';
import type { CountyDocumentKind } from '../../../../libs/http';
import { ApiException } from '../common/api.exception';

export enum DocumentErrorCode {
  EscalationNotFound = 'ESCALATION_NOT_FOUND',
  WrongRung = 'DOCUMENT_WRONG_RUNG',
  NothingToList = 'DOCUMENT_NOTHING_TO_LIST',
}

/** Errors of the county's documents (督办单、通报、约谈通知书). */
export class DocumentException extends ApiException {
  static escalationNotFound(ids: string[]): DocumentException {
    return new DocumentException(HttpStatus.NOT_FOUND, DocumentErrorCode.EscalationNotFound, '督办问责记录不存在或不在您的辖区内', 'No such escalation in your region', { ids });
  }

  /** A 督办单 of an escalation that is not a 督办, a 约谈通知书 of one that is not a 约谈. */
  static wrongRung(id: string, kind: CountyDocumentKind, rung: EscalationRung): DocumentException {
    const wanted = kind === 'supervision_order' ? '督办' : '约谈';
    return new DocumentException(
      HttpStatus.CONFLICT,
      DocumentErrorCode.WrongRung,
      `该记录是${ESCALATION_RUNG_LABELS[rung] ?? rung}，不能出具${DOCUMENT_KIND_LABELS[kind]}（仅${wanted}可出具）`,
      `A ${kind} is issued for a ${wanted} escalation only`,
      { id, rung },
    );
  }

  /** The filter selects no escalation in the user's region: nothing found to list (404, as a search finding nothing to act on). */
  static nothingToList(): DocumentException {
    return new DocumentException(HttpStatus.NOT_FOUND, DocumentErrorCode.NothingToList, '没有符合条件的督办问责记录，无法生成通报', 'No escalation matches: nothing to list in a bulletin');
  }
}
