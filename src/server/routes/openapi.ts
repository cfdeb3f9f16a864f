// Shared pieces of route definitions.
import { apiError } from '../../domain/schemas/api';

const descriptions: Record<number, string> = {
  400: '请求内容不符合要求 (issues 指出具体字段)',
  401: '参与码无效',
  403: '人机验证失败或无权限',
  404: '不存在',
  409: '此参与码已提交过',
  413: '请求过大',
  415: '须为 application/json',
  423: '未开始或已截止',
  429: '过于频繁 (见 Retry-After)',
  503: '暂不可用 (见 Retry-After)',
};

/** The error responses a route can give, all in the one error shape. */
export function errorResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: descriptions[s] ?? 'Error', content: { 'application/json': { schema: apiError } } },
    ]),
  ) as Record<S, { description: string; content: { 'application/json': { schema: typeof apiError } } }>;
}
