/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'
declare module '*.module.scss' {
  const classes: Readonly<Record<string, string>>
  export default classes
}

// Optional because Node code (scripts, the local backend, tests) builds env objects without them.
declare namespace NodeJS {
  interface ProcessEnv {
    /** Set by Taro for the build; decides minification and which .env.<mode> file is read. */
    NODE_ENV?: 'development' | 'production' | 'test'
    /** The platform being built; code for one platform is dropped from the other's bundle. */
    TARO_ENV?: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'rn' | 'harmony' | 'harmony-hybrid'
    /** WeChat AppID written into dist/weapp/project.config.json (defaults to touristappid). */
    TARO_APP_ID?: string
    /** Base URL of the Supabase project (https and whitelisted in WeChat for a release). */
    TARO_APP_SUPABASE_URL?: string
    /** Public anon (publishable) key of that project. Never the service role key. */
    TARO_APP_SUPABASE_ANON_KEY?: string
    /**
     * "true" signs in with the seeded demo accounts (a picker page, `demo:<handle>` codes) instead of
     * Taro.login; only the local backend accepts them. Anything else is off, as a release must be.
     */
    TARO_APP_DEMO_LOGIN?: string
    /**
     * JSON object of WeChat subscription-message templates: our template key (notifications.push_template,
     * e.g. "account_change") → the template id from mp.weixin.qq.com. 开启消息提醒 asks for these. Default "{}".
     */
    TARO_APP_SUBSCRIBE_TEMPLATES?: string
  }
}
