// Giving an opinion: the code step, the four kinds of form, review, receipt,
// the receipt check, and a plain message for every API error. The islands
// import this module directly (not through `t`), so a participation page does
// not ship the strings of the whole site.
import type { ApiErrorCode } from '../../domain/api-error-codes';

/** "12月20日 18:00", in China time (UTC+8, no daylight saving) whatever the device's zone. */
const when = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hm}`;
};

const busy = '服务器暂时繁忙或无法访问。';
const tooOften = '操作过于频繁 (参与码输错次数过多也会暂停核验)。';
const other = '出现了问题, 请稍后再试。';

/**
 * Every API error code in a participant's words. Codes the participation
 * path never meets (the console's, the forum's) say what their status would.
 */
const apiErrors = {
  validation_failed: '有答案不符合要求, 请按提示修改。',
  not_found: '找不到这项测评。',
  method_not_allowed: other,
  payload_too_large: other,
  unsupported_media_type: other,
  rate_limited: tooOften,
  internal_error: busy,
  service_unavailable: busy,
  unauthorized: '参与码无效, 请核对后重新输入。如确认无误, 请联系发码单位。',
  forbidden: other,
  turnstile_failed: '人机验证已过期或未通过, 请重新完成验证后再试。',
  not_targeted: '您的参与码只用于评价指定的对象 (定点定向), 本测评不涉及这些对象。',
  category_not_allowed: '您所属的评议主体类别不参与此项测评。',
  already_answered: '此参与码已提交过本项测评, 每个参与码只能提交一次。',
  token_invalid: '匿名令牌未通过核验 (可能测评的签名密钥已更换), 答案未提交。请联系发码单位。',
  token_already_issued:
    '此参与码已在其他页面或设备上领取了本项测评的匿名令牌, 不能再次领取。请回到当初打开本测评的设备和浏览器继续提交; 如无法做到, 请联系发码单位。',
  not_open: '本项测评尚未开始, 开始后才能提交。',
  closed: '本项测评已截止, 不再接受提交。',
  tally_not_public: other,
  daily_limit_reached:
    '您所用的网络 (同一 IP 地址) 今天对本项的提交已达上限, 次日零时重新计算。家庭或单位共用网络时, 可改用手机流量提交。',
  session_required: other,
  login_failed: other,
  login_locked: tooOften,
  csrf_failed: other,
  conflict: other,
  collection_closed: other,
  duplicate_post: other,
  feed_unsigned: other,
  feed_clock_skew: other,
  feed_signature_invalid: other,
  feed_key_refused: other,
  feed_nonce_reused: other,
  objection_closed: other,
  credential_invalid: other,
  serial_already_counted: other,
  ballots_over_returned: other,
  keyer_not_independent: other,
  meeting_below_counted: other,
} as const satisfies Record<ApiErrorCode, string>;

export const zhCNParticipate = {
  /** The code field (checked as it is typed). */
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
  participate: {
    when,
    period: (opens: string, closes: string) => `${when(opens)} 至 ${when(closes)}`,
    kinds: { ballot: '民主测评', questionnaire: '问卷调查', rating: '满意度评议', vote: '网上投票' },

    verify: '核验参与码',
    verifying: '正在核验…',
    loading: '正在加载…',
    listHeading: '您可以参与的测评',
    listLead: (category: string) => `您的评议主体类别: ${category}。`,
    listEmpty: '本参与码目前没有可参与的测评。',
    targeted: (subjects: string) => `本参与码为定点定向评议码, 只评价: ${subjects}。`,
    unknownFor: (subject: string) => `是否了解${subject}`,
    unknownLabel: '评价',
    unknownAnswer: '不了解 (不计入得分)',
    unknownChosen: '您选择了“不了解”, 不必评价这个对象; 它会计入“不了解”人数, 不计入得分。如需评价, 取消勾选即可。',
    otherCode: '使用其他参与码',
    status: { open: '进行中', done: '已使用', not_open: '未开始', closed: '已截止' },
    deadline: (closes: string) => `截止时间: ${when(closes)}`,
    opensOn: (opens: string) => `开始时间: ${when(opens)}`,
    start: '开始填写',
    resume: '继续填写 (已保存草稿)',
    turnout: (total: number, step: number) =>
      step === 1
        ? `共 ${total} 人参与。`
        : `${total === 0 ? `参与人数不足 ${step} 人` : `已有 ${total} 人以上参与`} (每满 ${step} 人更新); 各选项得票在截止后公布。`,
    resultsLink: '查看本年度考核结果和参与情况',
    notInList: '您的参与码不能参与本项测评 (评议主体类别不符或不属于本年度考核)。',

    draftRestored: '已恢复您上次未提交的答案 (保存在本机浏览器中)。',
    draftNote: '答案会自动保存在本机浏览器中, 提交前关闭或刷新页面也不会丢失。',
    draftNoCode: '参与码不会被保存。',
    /** The token step of a code instrument (blind signature, RFC 9474), said plainly. */
    token: {
      taking: '正在领取匿名令牌…',
      take: '领取匿名令牌',
      why: '打开测评时, 您的参与码会换成一枚匿名令牌: 服务器为令牌签名, 却看不到令牌本身; 提交答案时只带令牌, 不带参与码。这样, 谁也无法把您的答案与您的参与码对应起来, 连本平台的数据库也做不到。',
      held: '匿名提交: 打开本测评时, 您的参与码已换成一枚匿名令牌 (服务器为它签名, 却看不到它), 保存在本机浏览器中; 提交时只发送令牌和答案, 不发送参与码, 所以谁也无法把您的答案与参与码对应起来, 连本平台的数据库也做不到。每个参与码在每项测评只能领取一次令牌: 请在本设备、本浏览器上完成提交 (中途关闭页面, 用同一参与码重新打开即可继续)。',
    },
    /** Every question counts (optional ones too: the numbers run to the total); what is still required is said apart. */
    progress: (done: number, total: number, requiredLeft: number) =>
      `已答 ${done}/${total} 题${requiredLeft > 0 ? `, 还有 ${requiredLeft} 道必答题` : done < total ? ', 必答题已答完' : ''}`,
    subjectsNav: '考核对象',
    subjectOf: (n: number, of: number) => `第 ${n} 个, 共 ${of} 个`,
    prevSubject: '上一个对象',
    nextSubject: '下一个对象',
    toReview: '核对并提交',
    required: '必答',
    optional: '选填',
    multiRange: (min: number, max: number) =>
      min === max ? `请选择 ${min} 项` : min === 0 ? `可不选, 最多选 ${max} 项` : `请选择 ${min} 至 ${max} 项`,
    chosen: (n: number, max: number) => (n >= max ? `已选 ${n} 项, 已达上限` : `已选 ${n} 项`),
    chars: (n: number, max: number) => `${n}/${max} 字`,
    commentFor: (subject: string) => `对${subject}的意见建议`,

    errorSummary: '请先修改以下问题:',
    errorPrefix: '错误: ',
    missing: '请作答本题',
    missingIn: (subject: string) => `${subject}: 还有未作答的题目`,

    reviewHeading: '核对您的答案',
    reviewLead: (title: string) => `请核对您对《${title}》的答案。提交后不能修改, 如需修改请返回。`,
    back: '返回修改',
    submit: '提交',
    submitting: '正在提交…',
    unanswered: '未作答',
    none: '无',
    gradeItems: '各项评价',
    listSeparator: '、',

    receiptHeading: '提交成功',
    receiptLead: (title: string, day: string) => `您对《${title}》的意见已于 ${day} 计入。`,
    receiptLabel: '回执号',
    receiptNote:
      '请抄下、复制或打印回执号。它不包含您的答案和参与码, 只用于核对: 您可以随时在“核对回执”页面输入回执号, 确认您的意见已被计入; 测评截止后, 本平台公布全部回执号清单, 人人都可以核对。',
    copy: '复制回执号',
    copied: '已复制',
    print: '打印',
    check: '去核对回执',
    backToList: '返回测评列表',

    turnstile: {
      label: '人机验证',
      standIn: '我不是机器人 (本地测试模式)',
      loading: '正在加载人机验证…',
      needed: '请先完成人机验证',
      failed: '人机验证加载失败, 请检查网络后刷新页面。',
    },

    errors: {
      network: '网络连接失败, 未能送达服务器。',
      kept: '您的答案仍然保留在本页和本机浏览器中。',
      retry: '重试',
      retryIn: (s: number) => `请在 ${s > 90 ? `${Math.ceil(s / 60)} 分钟` : `${s} 秒`}后重试。`,
      other,
      /** Each API error code as a participant reads it. */
      api: apiErrors,
    },

    receipts: {
      label: '回执号',
      hint: '共 16 位, 如 ABCD-EFGH-JKMN-PQRS, 不区分大小写',
      submit: '核对',
      checking: '正在核对…',
      found: (title: string, day: string) => `已计入: 《${title}》, 计入日期 ${day}。`,
      notFound: '没有找到这个回执号。请逐位核对; 如确认无误, 请联系县绩效办。',
      invalid: '回执号应为 16 位数字和字母',
    },
  },
  /** The live turnout page's island (the page's own text is in participate-pages.ts). */
  turnoutBoard: {
    loading: '正在读取参与情况…',
    caption: (title: string) => `${title}: 各类评议主体参与情况`,
    category: '评议主体',
    responses: '已提交',
    issued: '发放参与码',
    rate: '参与率',
    total: '合计',
    atLeast: (n: number) => `${n} 以上`,
    atLeastRate: (pct: string) => `至少 ${pct}`,
    notCoded: '—',
    asOf: (time: string) => `数据时间 ${time} (每分钟自动刷新)`,
    open: (step: number) =>
      `进行中: 人数每满 ${step} 人更新一次 (按 ${step} 向下取整), 任何人都无法从数字的变化推断某一份意见何时提交。`,
    closed: '已截止: 以下为最终人数。',
    failed: '暂时无法读取参与情况, 一分钟后会自动重试。',
    refresh: '立即刷新',
  },
  /** The hall's screen island: the total of online answers only, in steps while open; never a choice. */
  meetingCount: {
    heading: '已收到网上评议',
    atLeast: (n: number) => `${n}+`,
    none: (step: number) => `不足 ${step}`,
    unknown: '—',
    unit: '份',
    source: '网上评议份数, 纸质票会后录入。',
    open: (step: number) => `每满 ${step} 份更新一次, 不显示任何选项的得票。`,
    closed: '已截止: 最终份数。',
    asOf: (time: string) => `数据时间 ${time}`,
    built: '网页生成时的份数',
    failed: '暂时无法读取份数, 稍后自动重试。',
  },
} as const;
