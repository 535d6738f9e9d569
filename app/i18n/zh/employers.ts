/** Employers (工作单位) as an entity: the admin list, matching free text. */
export default {
  'employers.title': '工作单位',
}
