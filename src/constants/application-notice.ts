/**
 * The separate notice a worker agrees to before an application collects sensitive personal data (real
 * name, resident ID, bank account, photos of documents). Agreeing records APPLICATION_NOTICE_VERSION on
 * the application (record_application_consent); change the version when the text changes in substance.
 * Only the apply subpackage imports this file.
 */
export const APPLICATION_NOTICE_VERSION = '2026-12'

export const APPLICATION_NOTICE_TITLE = '申报信息收集告知书'

export const APPLICATION_NOTICE_PARAGRAPHS: readonly string[] = [
  '申报创业补贴需要收集您的以下敏感个人信息：真实姓名、身份证号、手机号、银行账号，以及身份证、营业执照、银行卡等证件照片。',
  '用途：仅用于审核您的补贴申报、报送人社部门集中申报和发放补贴，不用于其他用途。',
  '谁能看到：您本人、审核您申报的创业管家和管理员；身份证号和银行账号默认只显示部分数字，管家查看完整号码时会被记录。补贴公示时只显示姓名的首尾字（如 张*德）和金额。',
  '保存：信息保存在境内服务器，传输全程加密；您的手机里不保存身份证号、银行账号等信息，换一部手机登录也能继续填写。',
  '您可以不同意，不同意不影响使用其他功能，但无法在线申报补贴。',
]
