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
} as const
