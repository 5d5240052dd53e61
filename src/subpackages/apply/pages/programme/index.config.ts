export default definePageConfig({
  navigationBarTitleText: '补贴项目',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
