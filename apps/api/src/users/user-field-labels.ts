/** Chinese labels of the people and password endpoints' fields (merged into FIELD_LABELS). */
export const USER_FIELD_LABELS: Record<string, string> = {
  username: '用户名',
  phone: '手机号',
  role: '角色',
  cadreRank: '职级',
  active: '是否在岗',
  includeInactive: '含已停用账号',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
};
