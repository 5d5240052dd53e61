/**
 * The privacy notice (隐私保护指引) a person accepts before their profile is saved. Accepting inserts a
 * consents row with PRIVACY_NOTICE_VERSION; change the version whenever the text changes in substance, so
 * everyone is asked again (onboarding compares it with profiles.privacy_version).
 */
export const PRIVACY_NOTICE_VERSION = '2026-11'

export const PRIVACY_NOTICE_TITLE = '隐私保护指引'

export interface PrivacyNoticeSection {
  readonly heading: string
  readonly paragraphs: readonly string[]
}

export const PRIVACY_NOTICE_SECTIONS: readonly PrivacyNoticeSection[] = [
  {
    heading: '我们收集哪些信息',
    paragraphs: [
      '微信登录标识：用于确认是您本人登录，不会显示给任何人。',
      '您填写的资料：姓名、所属街道、原单位、分流日期、创业意向。',
      '手机号：仅在您点击“绑定手机号”并在微信中同意后获取。',
      '申报创业补贴时需要的身份证号、银行账户、证件照片等，会在申报时另行告知并征得您的同意，现在不收集。',
    ],
  },
  {
    heading: '为什么收集',
    paragraphs: ['为您提供创业咨询、政策资讯推送和创业补贴申报服务，让为您服务的创业管家了解您的情况、及时联系您。'],
  },
  {
    heading: '谁能看到',
    paragraphs: [
      '您本人，以及街道人社中心为您服务的创业管家和管理员。',
      '除法律法规另有规定外，我们不会把您的信息提供给其他单位或个人，也不会用于商业推广。',
    ],
  },
  {
    heading: '如何保存',
    paragraphs: ['信息保存在境内服务器，传输全程加密；您的手机里不保存姓名、手机号或证件号码。'],
  },
  {
    heading: '如何查看、更正或撤回同意',
    paragraphs: [
      '您可以在“我的”页面查看和修改自己的资料，也可以在那里撤回同意或注销账号，立即生效。',
      '也可以联系您的创业管家或街道人社中心办理，我们会在15个工作日内办理。撤回同意后，需要个人信息的服务（如补贴申报）将无法继续使用，已依法报送的材料除外。',
    ],
  },
]
