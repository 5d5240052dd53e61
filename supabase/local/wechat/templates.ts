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
  // 关注内容更新提醒: 更新内容 / 标题 / 发布时间. A post with a followed tag became visible (push_template 'post_followed').
  post_followed: {
    id: 'local-post-followed-template',
    fields: { thing1: 'title', thing2: 'body', time3: 'created_at' },
  },
  // 项目意向登记提醒: 事项 / 内容 / 登记时间. A worker pressed 我感兴趣 on a project (push_template 'project_lead').
  project_lead: {
    id: 'local-project-lead-template',
    fields: { thing1: 'title', thing2: 'body', time3: 'created_at' },
  },
  // 申报进度提醒: 申报事项 / 进度说明 / 更新时间. A step of a subsidy application (push_template 'application_status').
  application_status: {
    id: 'local-application-status-template',
    fields: { thing1: 'title', thing2: { from: 'body', default: '请在小程序中查看申报进度' }, time3: 'created_at' },
  },
} as const
