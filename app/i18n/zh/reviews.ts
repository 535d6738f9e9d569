/** HR's review of training reports, learners' disputes, and HR's legacy-hours import. */
export default {
  'reviews.title': '培训学时报送审核',
}
