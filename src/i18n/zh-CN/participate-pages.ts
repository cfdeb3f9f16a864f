// The participation pages' own text: titles, leads, links, the note for a
// browser without JavaScript. Only the .astro pages use it, at build time. It
// is kept out of ./participate.ts, which the islands import whole, so that
// none of it is downloaded again as island code.
import { zhCNParticipate } from './participate';

/** The confidentiality pledge of a code instrument, in one sentence (the instrument page, the hall's screen). */
const PLEDGE = '您的意见与参与码分开保存, 任何人无法将意见与参与码或个人对应。';

export const zhCNParticipatePages = {
  participatePage: {
    title: '参与评议',
    lead: '凭参与码参加民主测评和满意度评议; 公开问卷和网上投票无需参与码。',
    codeLead: `请输入您收到的参与码。每个参与码对每项测评只能提交一次; ${PLEDGE}`,
    closed: (closesAt: string) => `本项已于 ${zhCNParticipate.participate.when(closesAt)} 截止, 不再接受提交。`,
    publicHeading: '公开问卷和网上投票',
    publicLead: '以下问卷和投票面向社会公众, 无需参与码, 不需要登录, 不收集姓名和联系方式。',
    publicCap: (n: number) =>
      `为防止刷票, 同一网络 (同一 IP 地址) 每天对本项最多提交 ${n} 份, 次日零时重新计算; 家庭或单位共用一个网络时, 超出后请次日再试, 或改用手机流量提交。`,
    noscript:
      '填写测评需要启用浏览器的 JavaScript。也可以通过本年度考核预告中公布的电话、电子邮箱或民意调查箱反映意见。',
    receiptsLink: '核对回执',
    allLink: '返回参与评议',
    turnoutLink: '查看实时参与情况',
    turnoutHeading: '实时参与情况',
    turnoutLead: '正在进行的测评, 可以随时查看各类评议主体的参与人数和参与率 (不公开任何选项的得票):',
  },
  turnoutPage: {
    title: (title: string) => `参与情况: ${title}`,
    lead: '各类评议主体已提交的份数与发放的参与码数。进行中的测评每满 5 人更新一次, 截止后显示最终人数; 各选项的得票只在截止后随结果公布。',
    noscript: (api: string) =>
      `本页的实时数字需要启用浏览器的 JavaScript。不启用也可以直接打开数据地址 ${api} (JSON 格式, 每分钟更新)。`,
    back: '返回测评页面',
    results: '查看结果公示',
    meetingLink: '会场大屏',
  },
  /** The meeting mode page for the hall's screen (测评大会): QR code, link, live count of online answers. */
  meetingPage: {
    title: (title: string) => `会场大屏: ${title}`,
    kicker: '测评大会 · 手机扫码参与',
    qrLabel: (title: string) => `二维码: 扫码打开“${title}”`,
    orType: '或在手机浏览器中输入:',
    instructions: `扫码后输入入场时领取的参与码条上的参与码。${PLEDGE}`,
    noscript: (api: string) =>
      `此处显示的是网页生成时的份数。实时份数需要启用浏览器的 JavaScript; 也可以直接打开数据地址 ${api} (JSON 格式, 每分钟更新)。`,
    back: '返回测评页面',
  },
  posterPage: {
    title: (instrument: string) => `二维码海报: ${instrument}`,
    kicker: '扫码参与',
    qrLabel: (instrument: string) => `二维码: 扫码打开“${instrument}”`,
    scan: '微信或手机相机扫一扫, 或在浏览器中输入:',
    promises: ['无需登录', '无需参与码', '不收集姓名和联系方式'],
    screenLead:
      '本页按 A4 纸排版, 可张贴在公告栏, 也可截图发到微信群。用浏览器的“打印”即可打印 (菜单和本段文字不会打印)。',
    back: '返回测评页面',
    link: '打印二维码海报 (A4)',
    shortLink: (url: string) => `短链接: ${url}`,
  },
  receiptsPage: {
    title: '核对回执',
    lead: '输入提交后得到的回执号, 查看您的意见是否已被计入。回执号不包含您的答案和参与码, 查询结果只显示测评名称和计入日期。',
    listNote: '测评截止后, 各项测评的全部回执号清单将在本平台公布, 您也可以在清单中查找自己的回执号。',
    boards: '已公布的回执清单',
    boardsNone: '目前还没有已截止并公布回执的测评。',
    boardItem: (title: string, n: number) => `${title} (${n} 个回执)`,
  },
  receiptsBoard: {
    title: (title: string) => `回执清单: ${title}`,
    lead: '测评截止后, 本测评计入的每一份意见的回执号都列在下面 (按字母数字顺序)。回执号由答案和随机数计算得出, 不含答案, 也不含参与码, 看不出是谁提交的。',
    facts: { count: '回执总数', responses: '提交份数', digest: '统计摘要', takenAt: '数据截至' },
    findHeading: '查找自己的回执号',
    find: '按 Ctrl+F (苹果电脑按 ⌘F, 手机浏览器菜单中的“在页面中查找”), 输入回执号的前几位或全部 (例如 7K2M-), 浏览器会标出它。也可以先点下面回执号的第一个字符, 跳到那一组再看。',
    whyNoBox:
      '本页不设搜索框: 回执号若写进网址, 会留在访问日志里; 用浏览器自带的查找, 回执号不离开您的设备。只想确认一个回执号, 也可以用',
    checkLink: '核对回执页面',
    index: '按第一个字符跳转',
    group: (ch: string, n: number) => `以 ${ch} 开头 (${n} 个)`,
    groupLink: (ch: string, n: number) => `${ch} (${n})`,
    results: '返回结果公示',
    empty: '本测评没有公布回执。',
    mismatch: (receipts: number, responses: number) =>
      `注意: 回执数 (${receipts}) 与提交份数 (${responses}) 不一致, 请向县考评办反映。`,
  },
} as const;
