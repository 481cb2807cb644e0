import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function MeetingPage(_props: { meetingId: string; query: URLSearchParams }) {
  return <Page title="MeetingPage">{null}</Page>;
}
