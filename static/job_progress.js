// A job's page follows the job: while it waits or runs, the page is fetched again every few
// seconds and its progress shown in place; once the job has finished, the page is loaded
// again to show what it made (or why nothing was). Without JavaScript a <noscript> meta
// refresh does this; a timed refresh for everyone is what axe refuses (WCAG 2.2.1).
const status = document.querySelector('[data-app-job-running]')
if (status) {
  const every = Number(status.dataset.appJobRunning || 2) * 1000
  const poll = async () => {
    try {
      const answer = await fetch(window.location.href, { cache: 'no-store' })
      const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html')
      const running = fresh.querySelector('[data-app-job-running]')
      if (!running) {
        window.location.reload()
        return
      }
      status.innerHTML = running.innerHTML
    } catch {
      // A moment's network trouble: try again at the next turn.
    }
    window.setTimeout(poll, every)
  }
  window.setTimeout(poll, every)
}
