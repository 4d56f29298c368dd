/** Chinese names of the star-rating requests' fields (merged into FIELD_LABELS). */
export const STAR_RATING_FIELD_LABELS: Record<string, string> = {
  selfScore: '自查得分',
  appliedStars: '申报星级',
  selfCheck: '自查情况',
  score: '考核得分',
  disqualifiers: '否决情形',
  seriousViolation: '严重违纪违法',
  poorPovertyAlleviation: '脱贫攻坚任务完成较差',
  dutiesUnfulfilledOrRankedLow: '未履职或排名靠后',
  unliftedPoorVillage: '未脱贫的贫困村',
  objector: '异议人',
  content: '异议内容',
  upheld: '异议是否成立',
  resolution: '处理意见',
  stars: '星级',
  stage: '评定阶段',
};
