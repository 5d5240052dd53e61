/** The subscribe flow (./subscribe.ts) wired to Taro and the backend, for the 开启消息提醒 button. */
import Taro from '@tarojs/taro'
import { recordSubscriptions } from './record-subscriptions-mutation'
import { subscribeToMessages, type SubscribeOutcome, type SubscribeResult } from './subscribe'
import { configuredTemplates } from './subscribe-templates'

export function requestMessageSubscriptions(): Promise<SubscribeOutcome> {
  return subscribeToMessages({
    platform: process.env.TARO_ENV,
    templates: configuredTemplates(),
    // The result has one entry per template id ('accept', 'reject', 'ban', 'filter') besides errMsg.
    // Taro's Option type wrongly requires Alipay's entityIds as well; WeChat takes tmplIds alone.
    requestSubscribeMessage: async (tmplIds) =>
      (await Taro.requestSubscribeMessage({ tmplIds } as Taro.requestSubscribeMessage.Option)) as unknown as SubscribeResult,
    recordSubscriptions: (keys) => recordSubscriptions(keys),
  })
}
