import { DEFAULT_ACCEPTANCE_FORM, DEFAULT_INSPECTION_STEPS, DEFAULT_POLICY, formMaxScore, policyProblems, practiceFor, type RectificationPolicy } from '../../libs/domain';

/** Issue 18 in the county's policy: the playbook by kind, the inspected steps, the acceptance form. */
describe('the practice in the county policy', () => {
  it('gives each kind of organization its own sixth track, a village its collective-economy project (seed 001 §一(三))', () => {
    const village = practiceFor({ ...DEFAULT_POLICY, minCollectiveProjects: 2 }, 'village');
    expect(village.playbook).toMatchObject({ sixthTrack: '村集体经济项目', minProjects: 2 });
    expect(village.playbook.conditions).toContain('COLLECTIVE_PROJECT');
    const school = practiceFor(DEFAULT_POLICY, 'school');
    expect(school.playbook.sixthTrack).toBe('“四个认同”教育课堂化项目');
    expect(school.playbook.conditions).toContain('PLAYBOOK_PROJECT');
    expect(school.playbook.conditions).not.toContain('COLLECTIVE_PROJECT');
    // Where the policy is silent, the county inspects the three key steps and accepts on the offered form.
    expect(school).toMatchObject({ inspectionSteps: ['problem_list', 'plan', 'acceptance_request'], acceptanceForm: DEFAULT_ACCEPTANCE_FORM });
    // A county's own choice is what the case keeps.
    const form = { ...DEFAULT_ACCEPTANCE_FORM, passMark: 80 };
    expect(practiceFor({ ...DEFAULT_POLICY, inspectionSteps: ['plan'], acceptanceForm: form }, 'village')).toMatchObject({ inspectionSteps: ['plan'], acceptanceForm: { passMark: 80 } });
    // The case's copy is its own: changing it leaves the defaults alone.
    school.inspectionSteps.pop();
    school.acceptanceForm!.passMark = 1;
    expect(DEFAULT_INSPECTION_STEPS).toHaveLength(3);
    expect(DEFAULT_ACCEPTANCE_FORM.passMark).toBe(70);
  });

  it('lets a county choose which steps it inspects and replace the form, but not drop inspection or the form (seed 001 §一(四))', () => {
    expect(policyProblems(DEFAULT_POLICY)).toEqual([]);
    expect(policyProblems({ ...DEFAULT_POLICY, inspectionSteps: ['problem_list'] })).toEqual([]);
    const none = policyProblems({ ...DEFAULT_POLICY, inspectionSteps: [] });
    expect(none).toEqual([expect.stringMatching(/^inspectionSteps（督导把关环节）至少选一项.*seed 001 §一\(四\)/)]);
    const noForm = policyProblems({ ...DEFAULT_POLICY, acceptanceForm: null as never });
    expect(noForm).toEqual([expect.stringMatching(/^acceptanceForm（验收评分表）可以修改，不能取消.*seed 001 §一\(四\)/)]);
  });

  it('offers a form of six areas and 24 items, 100 points, passing at 70, with the veto at half', () => {
    expect(DEFAULT_ACCEPTANCE_FORM.areas).toHaveLength(6);
    expect(DEFAULT_ACCEPTANCE_FORM.areas.flatMap((a) => a.items)).toHaveLength(24);
    expect(formMaxScore(DEFAULT_ACCEPTANCE_FORM)).toBe(100);
    expect(DEFAULT_ACCEPTANCE_FORM).toMatchObject({ passMark: 70, vetoDissatisfiedShare: 0.5 });
    expect(policyProblems({ ...DEFAULT_POLICY, acceptanceForm: DEFAULT_ACCEPTANCE_FORM, inspectionSteps: ['plan'] })).toEqual([]);
  });

  it('refuses a village playbook without a project, a pass mark above the total, a veto looser than half, an unknown step', () => {
    const p: RectificationPolicy = {
      ...DEFAULT_POLICY,
      playbooks: { village: { sixthTrack: '村集体经济项目', minProjects: 0, conditions: ['COLLECTIVE_PROJECT'] } },
      acceptanceForm: { ...DEFAULT_ACCEPTANCE_FORM, passMark: 101, vetoDissatisfiedShare: 0.6 },
      inspectionSteps: ['plan', 'visit' as never],
    };
    const problems = policyProblems(p).join('\n');
    expect(problems).toContain('playbooks.village.minProjects');
    expect(problems).toContain('passMark');
    expect(problems).toContain('vetoDissatisfiedShare');
    expect(problems).toContain('inspectionSteps');
  });
});
