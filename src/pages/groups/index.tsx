import { AppPage } from '../../components/app-page'
import { ComingSoon } from '../../components/coming-soon'
import './index.scss'

/** The groups tab. Not built yet: it says so instead of showing made-up content. */
export default function GroupsPage() {
  return (
    <AppPage className='groups-page'>
      <ComingSoon feature='创业群' description='加入创业群后，可以向值班的创业管家提问，及时得到解答。' />
    </AppPage>
  )
}
