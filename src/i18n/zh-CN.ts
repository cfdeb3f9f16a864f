// Every user-facing string of the portal (site, islands, API messages).
// Another language is another module of the same shape.
export const zhCN = {
  site: {
    name: '考评公开',
    fullName: '考评公开与民意征集平台',
    skipLink: '跳到正文',
    footer: '本平台公开考核信息、征集社会意见。您的意见与身份分开保存, 任何人无法将意见与参与码或个人对应。',
  },
  code: {
    label: '参与码',
    hint: '共 13 位, 见您收到的参与码条 (如 ABCD-EFGH-JKMN-P), 不区分大小写, 可不输入连字符',
    ok: '参与码格式正确',
    empty: '请输入参与码',
    invalid_character: '参与码只包含数字和字母 (不含 I、L、O、U)',
    too_short: '参与码不完整, 共 13 位',
    too_long: '参与码过长, 共 13 位',
    check_failed: '参与码有误, 请逐位核对 (可能输错了一位或两位顺序颠倒)',
  },
  api: {
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
    category_not_allowed: '您所属的评议主体类别不参与此项测评',
    already_answered: '此参与码已提交过本项测评, 每个参与码只能提交一次',
    not_open: '本项测评尚未开始',
    closed: '本项测评已截止',
    tally_not_public: '本项统计结果暂未公开',
  },
} as const;

export type Messages = typeof zhCN;
export type ApiErrorCode = keyof Messages['api'];
