import { zhCN } from './zh-CN/index';

/** The active language. zh-CN is the primary (and for now only) language. */
export const t = zhCN;
export type { Messages } from './zh-CN/index';
