// The printed paper ballot (纸质测评表) that `npm run ballots -- print`
// writes: the same questions as the online form, a serial number per sheet,
// the category to tick and the confidentiality pledge. Subject names, rater
// category labels and the questions themselves come from the content.
import { PLEDGE } from './common';
import { zhCNParticipate } from './participate';

const p = zhCNParticipate.participate;

export const zhCNBallots = {
  ballotSheet: {
    documentTitle: '纸质测评表',
    serialLabel: '序号',
    serialHint: '录入时先录序号',
    page: (n: number, of: number) => `第 ${n} / ${of} 页`,
    continued: '(续)',
    meeting: (heldOn: string, place: string) => `测评大会: ${heldOn} · ${place}`,
    categoryLabel: '评议主体',
    categoryPick: '请在您所属的一类前的方格内打 ✓ (只选一项):',
    howHeading: '填表说明',
    how: ['本表不记名: 请勿填写姓名, 不要在表上作任何记号。', '请用黑色或蓝色笔在选定的方格内打 ✓。'],
    howGrid: '每一行 (每个评价项目) 只选一项, 请逐项填写, 不要漏项。',
    howUnknown: '对不了解的对象, 在其“不了解”方格内打 ✓, 该对象的其他项目不填 (计入“不了解”人数, 不计入得分)。',
    howSpoilt:
      '漏填、一项选了多个方格或无法辨认的测评表不能计入结果, 按废票处理; 填错了请向工作人员换一张新表, 并交回填错的一张。',
    howReturn: '填好后对折, 当场投入票箱。',
    pledgeHeading: '保密承诺',
    /** The portal's own pledge, word for word, and what it means for a sheet of paper. */
    pledge: PLEDGE,
    pledgePaper:
      '表上的序号只用于防止重复计入和核对录入, 不与任何人对应: 测评表不按人发放, 由两名监督员分别录入, 计入的结果不记录录入人和录入顺序。',
    unknownNote: '(选此项则本对象其余各项不填)',
    categoryColumn: '类别',
    itemColumn: '评价项目',
    subjectColumn: '评价对象',
    chooseOne: '选一项',
    required: p.required,
    optional: p.optional,
    multiRange: p.multiRange,
    end: '本表到此结束。请检查有无漏填, 然后投入票箱。',
    screen: {
      count: (sheets: number, pages: number, first: string, last: string) =>
        `共 ${sheets} 张测评表, 每张 ${pages} 页 (共 ${sheets * pages} 页), 序号 ${first} 至 ${last}。`,
      part: (n: number, of: number) => `第 ${n} / ${of} 份`,
      warning: (pages: number) =>
        `请按 A4 纵向、无缩放 (100%)、不打印页眉页脚打印。${
          pages === 1
            ? ''
            : pages % 2 === 0
              ? `每张测评表 ${pages} 页, 可以双面打印; 请按序号逐张装订。`
              : `每张测评表 ${pages} 页 (奇数页), 请单面打印, 否则下一张会印在上一张的背面; 请按序号逐张装订。`
        }`,
    },
  },
} as const;
