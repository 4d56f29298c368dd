import { date, iso, nextId, nonNegativeNumber, requireRole, requireStage, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';

/** 集体经济项目 (seed 000 §四(四)): the collective economy projects started for the organization. */

export const addCollectiveProject: CommandDef<'addCollectiveProject'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.addCollectiveProject);
    requireStage(state, ['rectifying']);
    text(input.name, 'name', '项目名称', 200);
    text(input.kind, 'kind', '项目类型', 100);
    nonNegativeNumber(input.supportFunds, 'supportFunds', '扶持资金（元）');
    date(input.startOn, 'startOn', '启动日期');
    nonNegativeNumber(input.expectedYearlyIncome, 'expectedYearlyIncome', '预期年收益（元）');
  },
  apply(state, input, nowMs) {
    const p = {
      id: nextId(state, 'pr'),
      name: input.name.trim(),
      kind: input.kind.trim(),
      supportFunds: input.supportFunds,
      startOn: input.startOn,
      expectedYearlyIncome: input.expectedYearlyIncome,
      recordedBy: input.actor,
      recordedAt: iso(nowMs),
    };
    state.projects.push(p);
    return { action: 'project.added', payload: { id: p.id, name: p.name, kind: p.kind, supportFunds: p.supportFunds, expectedYearlyIncome: p.expectedYearlyIncome } };
  },
};
