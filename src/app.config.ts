import { APPLY_ROOT, MAIN_PAGES, POSTS_ROOT, SUBPACKAGES, TAB_ORDER, TABS } from './constants/routes'

export default defineAppConfig({
  pages: [...MAIN_PAGES],
  subPackages: SUBPACKAGES.map((subpackage) => ({ root: subpackage.root, pages: [...subpackage.pages] })),
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#f5f6fa',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '创业管家',
    navigationBarTextStyle: 'black',
    // WeChat draws this bar on every page. On H5, Taro draws it only when asked in so many words: the
    // page's title, and on a page opened from another a back button (a home button when the page was
    // opened directly), so every page has a title and a way back there too.
    navigationStyle: 'default',
  },
  tabBar: {
    color: '#4a4f5c',
    selectedColor: '#d32f2f',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    // Icons drawn by scripts/make-tab-icons.mjs (81×81 PNG, well within WeChat's 40 KB each).
    list: TAB_ORDER.map((name) => ({
      pagePath: TABS[name].page,
      text: TABS[name].text,
      iconPath: `assets/tab-bar/${name}.png`,
      selectedIconPath: `assets/tab-bar/${name}-active.png`,
    })),
  },
  // The home feed's posts open in the posts subpackage: fetch it while the feed shows, so the first tap
  // on a post does not wait for a download.
  preloadRule: {
    [TABS.home.page]: { network: 'all', packages: [POSTS_ROOT] },
    // The apply tab's programmes, self-check and 我的申报 open in the apply subpackage.
    [TABS.apply.page]: { network: 'all', packages: [APPLY_ROOT] },
  },
  // Inject only the components a page renders when it first renders (smaller start-up in WeChat).
  lazyCodeLoading: 'requiredComponents',
})
