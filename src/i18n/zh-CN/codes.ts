// The printable participation-code slips (一人一号参与码条). Rater category
// names come from the appraisal's content.
export const zhCNCodes = {
  slips: {
    documentTitle: '参与码条',
    heading: '一人一号 · 参与码',
    categoryLabel: '评议主体',
    subjectsLabel: '评价对象 (定点定向)',
    codeLabel: '参与码',
    scanHint: '用手机扫描二维码, 或访问',
    enterHint: '输入参与码后参与评议。',
    notice: '每项测评限提交一次。您的意见与参与码分开保存, 任何人无法据此查到您的意见。请勿转借他人。',
    batchLabel: '批次',
    qrLabel: '参与评议页面的二维码, 已填好本参与码',
    /** Shown on screen only, never printed. */
    screenWarning:
      '本文件含明文参与码, 系唯一副本 (数据库只保存其加密摘要)。请按 A4 纵向、无缩放 (100%)、不打印页眉页脚打印, 沿虚线裁开; 打印并分发后请安全删除本文件。',
    part: (n: number, of: number) => `第 ${n} / ${of} 份`,
    count: (n: number) => `共 ${n} 张`,
  },
} as const;
