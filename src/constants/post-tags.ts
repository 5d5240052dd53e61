/**
 * The tags staff pick from when writing, and readers filter and follow by (补贴, 贷款, …). A post may
 * carry others too (up to 8 tags of 1–10 characters each, checked by the database).
 */
export const COMMON_TAGS = ['补贴', '贷款', '税费', '培训', '场地', '项目', '申报', '典型'] as const

/** The tags the home feed offers as filters. */
export const FEED_FILTER_TAGS = ['补贴', '贷款', '税费', '培训', '场地'] as const
