/** Compliance oversight (达标监管): the HR dashboard, its people list and filters. */
export default {
  'compliance.title': '学时达标监管',
}
