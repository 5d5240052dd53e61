export default definePageConfig({
  navigationBarTitleText: '创业群',
  // The list scrolls inside the page (newest at the bottom); the page itself does not.
  disableScroll: true,
})
