import type { RaterCategory } from '../../domain/schemas/rater-category';

/** 评议主体类别: one list, used by the site, the slips and the console. */
export const raterCategoryLabels = {
  party_deputy: '党代表',
  npc_deputy: '人大代表',
  cppcc_member: '政协委员',
  masses_rep: '群众代表',
  service_recipient: '服务对象',
  public: '社会公众',
} as const satisfies Record<RaterCategory, string>;
