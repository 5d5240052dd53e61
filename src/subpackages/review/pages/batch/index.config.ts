export default definePageConfig({
  navigationBarTitleText: '申报批次',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
