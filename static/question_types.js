// The question builder shows only the fields the chosen type of question takes.
//
// Without JavaScript every field shows, each hint saying which types it is for, and the server
// ignores the fields of other types. GOV.UK Frontend's own conditional reveal is not used: it
// sets aria-expanded on the radios, which ARIA does not allow there (axe: aria-allowed-attr),
// and a field two types share (options) cannot sit under two radios at once.
const form = document.querySelector('form[data-app-question-form]')
if (form) {
  const radios = [...form.querySelectorAll('input[type=radio][name=type]')]
  const parts = [...form.querySelectorAll('[data-question-types]')]
  const group = form.querySelector('[data-question-type-fields]')
  const show = () => {
    const chosen = radios.find((radio) => radio.checked)?.value
    for (const part of parts) {
      part.hidden = !part.dataset.questionTypes.split(' ').includes(chosen)
    }
    if (group) group.hidden = [...group.querySelectorAll('[data-question-types]')].every((part) => part.hidden)
  }
  for (const radio of radios) radio.addEventListener('change', show)
  show()
}
