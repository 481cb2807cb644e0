import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function RecordMeetingPage(_props: { meetingId: string }) {
  return <Page title="RecordMeetingPage">{null}</Page>;
}
