export default definePageConfig({
  navigationBarTitleText: '编辑常见问题',
})
