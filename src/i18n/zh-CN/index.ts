// Every user-facing string of the portal, zh-CN. One file per area so work on
// different areas does not collide; another language is another folder of
// the same shape.
import { zhCNBallots } from './ballots';
import { zhCNCodes } from './codes';
import { zhCNCommon } from './common';
import { zhCNFollowUp } from './follow-up';
import { zhCNForum } from './forum';
import { zhCNMeetings } from './meetings';
import { zhCNObserve } from './observe';
import { zhCNParticipate } from './participate';
import { zhCNParticipatePages } from './participate-pages';
import { zhCNReport } from './report';
import { zhCNSite } from './site';

export const zhCN = {
  ...zhCNCommon,
  ...zhCNForum,
  ...zhCNFollowUp,
  ...zhCNObserve,
  ...zhCNCodes,
  ...zhCNBallots,
  ...zhCNParticipate,
  ...zhCNParticipatePages,
  ...zhCNSite,
  ...zhCNReport,
  ...zhCNMeetings,
} as const;

export type Messages = typeof zhCN;
