export default definePageConfig({
  navigationBarTitleText: '补贴公示',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
