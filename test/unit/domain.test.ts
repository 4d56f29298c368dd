import { caseIdFor, DESIGNATION_REASON_LABELS, DESIGNATION_REASONS, isDesignationReason } from '../../libs/domain';

describe('designation', () => {
  it('derives one case id per organization and batch year', () => {
    const org = '2b7c1a58-7d52-4c2e-9d2f-8f3c7c1b2a10';
    expect(caseIdFor(org, 2026)).toBe(caseIdFor(org, 2026));
    expect(caseIdFor(org, 2026)).not.toBe(caseIdFor(org, 2027));
    expect(caseIdFor(org, 2026)).not.toBe(caseIdFor('0f0e9a9d-0000-4000-8000-000000000001', 2026));
  });

  it('knows the reasons of seed 001 §一(一) and the one-star rating, each with its Chinese label', () => {
    expect(DESIGNATION_REASONS).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'S1']);
    for (const r of DESIGNATION_REASONS) expect(DESIGNATION_REASON_LABELS[r]).toMatch(/[\u4e00-\u9fff]/);
    expect(isDesignationReason('C6')).toBe(true);
    expect(isDesignationReason('C7')).toBe(false);
    expect(isDesignationReason(1)).toBe(false);
  });
});
