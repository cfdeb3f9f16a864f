// Strings shared by every area: site frame, API errors.
import type { ApiErrorCode } from '../../domain/api-error-codes';

/** Each API error code in one sentence: the API's `message`, and what the forum, opinion-box and console islands show. */
const api = {
  validation_failed: '提交的内容不符合要求',
  not_found: '找不到请求的资源',
  method_not_allowed: '不支持该请求方法',
  payload_too_large: '提交的内容过大 (上限 64 KB)',
  unsupported_media_type: '请以 application/json 格式提交',
  rate_limited: '操作过于频繁, 请稍后再试',
  internal_error: '服务器出现问题, 请稍后再试',
  service_unavailable: '服务暂时不可用, 请稍后再试',
  unauthorized: '参与码无效',
  forbidden: '没有权限进行此操作',
  turnstile_failed: '人机验证未通过, 请重新验证',
  not_targeted: '您的参与码只用于评价指定的对象, 本测评不涉及这些对象',
  category_not_allowed: '您所属的评议主体类别不参与此项测评',
  already_answered: '此参与码已提交过本项测评, 每个参与码只能提交一次',
  token_invalid: '参与凭证无效 (签名不符, 或不属于本项测评)',
  token_already_issued: '此参与码已为本项测评领取过参与凭证, 每个参与码只能领取一次',
  not_open: '本项测评尚未开始',
  closed: '本项测评已截止',
  tally_not_public: '本项统计结果暂未公开',
  daily_limit_reached: '同一网络今天对本项的提交已达上限, 次日零时 (北京时间) 重新计算',
  session_required: '请先登录观察员工作台 (或登录已过期)',
  login_failed: '用户名或密码不正确',
  login_locked: '输错次数较多, 请稍候再试 (等待时间逐次加长)',
  csrf_failed: '请求校验失败, 请刷新页面后重试',
  conflict: '该内容已被其他观察员处理, 请刷新后查看',
  collection_closed: '本年度意见征集不在进行中',
  duplicate_post: '本主题中已有内容相同的帖子 (24 小时内), 无须重复提交',
  feed_unsigned: '数据接口只接受签名请求: 缺少签名请求头或其格式不对 (见 issues)',
  feed_clock_skew: '请求时间戳与服务器时间相差超过 5 分钟, 请校准调用方的时钟',
  feed_signature_invalid: '签名不符: 请核对密钥, 以及规范请求串 (方法、路径、查询、时间戳、随机串、请求体摘要) 的写法',
  feed_key_refused: '密钥编号不存在或已撤销, 请向县绩效办申领新密钥',
  feed_nonce_reused: '随机串 (nonce) 已用过: 每个请求须用新的随机串 (疑为重放)',
  objection_closed: '不在申诉期内',
  credential_invalid: '申诉凭证无效 (或不属于本次考核)',
  serial_already_counted: '该编号的选票已经计入本项测评 (serial already counted), 同一编号只计一次: 请核对选票编号',
  ballots_over_returned:
    '本次测评大会已计入的选票达到收回票数减废票数, 不能再计入: 请核对选票, 或由牵头观察员更正收回票数',
  keyer_not_independent: '您已录入过这张选票: 第二遍 (及第三遍) 须由另一位观察员独立录入',
  meeting_below_counted: '收回票数减废票数不能少于已计入的选票数',
} as const satisfies Record<ApiErrorCode, string>;

/** The confidentiality pledge: every page's footer says it, and so does every printed ballot. */
export const PLEDGE = '您的意见与身份分开保存, 任何人无法将意见与参与码或个人对应。';

export const zhCNCommon = {
  site: {
    name: '考评公开',
    fullName: '考评公开与民意征集平台',
    skipLink: '跳到正文',
    footer: `本平台公开考核信息、征集社会意见。${PLEDGE}`,
  },
  api,
} as const;
