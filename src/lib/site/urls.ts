// The site's stable addresses in one place (Pages serves /x as a 308 to /x/,
// so every page link ends in a slash).
export const unitHref = (id: string) => `/units/${id}/`;
export const noticeHref = (appraisal: string) => `/appraisals/${appraisal}/`;
export const indicatorsHref = (appraisal: string) => `/appraisals/${appraisal}/indicators/`;
export const resultsHref = (appraisal: string) => `/results/${appraisal}/`;
export const categoryHref = (category: string) => `/units/category/${category}/`;
export const dataHref = (dataset: string, format: 'json' | 'csv' | 'xlsx') => `/data/${dataset}.${format}`;

/** The opinion box (another area of the portal): a message about this unit's summary. */
export const commentHref = (unit: string) => `/messages/new/?unit=${encodeURIComponent(unit)}`;
export const participateHref = '/participate/';
/** A public instrument's short link (the build writes its redirect: integrations.ts shortLinks). */
export const shortHref = (short: string) => `/s/${short}/`;
export const posterHref = (instrument: string) => `/participate/${instrument}/poster/`;
export const messageHref = '/messages/new/';

/** A telephone link: the digits and a leading + only (RFC 3966 drops the punctuation). */
export const telHref = (phone: string) => `tel:${phone.replace(/[^0-9+]/g, '')}`;
export const mailHref = (email: string) => `mailto:${email}`;
/** The published receipts of a closed instrument (回执公示). */
export const receiptsBoardHref = (instrument: string) => `/receipts/${instrument}/`;
/** The live turnout of an open instrument (参与情况). */
export const turnoutHref = (instrument: string) => `/participate/${instrument}/turnout/`;
/** A code instrument's page for the hall's screen at an evaluation meeting (会场大屏). */
export const meetingHref = (instrument: string) => `/participate/${instrument}/meeting/`;
/** One subject's printable report of one year (单项测评报告). */
export const reportHref = (unit: string, year: number) => `/units/${unit}/report/${year}/`;
