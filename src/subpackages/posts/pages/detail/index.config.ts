export default definePageConfig({
  navigationBarTitleText: '资讯详情',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  // 转发 from the page's menu and its 分享 button (useShareAppMessage).
  enableShareAppMessage: true,
})
