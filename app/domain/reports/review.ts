/** A training activity's report state (施教机构报送), in the order HR's list offers them: what awaits review first. */
export type ActivityState = 'open' | 'reported' | 'accepted' | 'returned'
export const ACTIVITY_STATES: readonly ActivityState[] = ['reported', 'returned', 'accepted', 'open']
export type ReportFilter = ActivityState | 'all'
