/**
 * The subscription-message templates the local backend gives the notify-dispatch function as
 * WECHAT_TEMPLATES (production sets its own with the real template ids: supabase/functions/.env.example).
 * One entry per push_template key the database uses; the fake WeChat API accepts any template id.
 */
export const LOCAL_WECHAT_TEMPLATES = {
  // 账号变更提醒: 变更内容 / 变更时间 / 备注. Written by the role-change trigger (push_template 'account_change').
  account_change: {
    id: 'local-account-change-template',
    fields: { thing1: 'title', time2: 'created_at', thing3: { from: 'body', default: '详情请在小程序“我的”中查看' } },
  },
  // 问题解答通知: 问题 / 解答 / 回复时间. Written when a butler marks an answer (push_template 'question_answered').
  question_answered: {
    id: 'local-question-answered-template',
    fields: { thing1: 'title', thing2: { from: 'body', default: '请在小程序中查看解答' }, time3: 'created_at' },
  },
} as const
