// The few limits the public is told about, in one place: the API enforces
// them (src/server/guards/rate-limit.ts) and the pages state them.

/**
 * Answers to one public instrument (a vote, a questionnaire) from one
 * address in one day (China's calendar): a household, or a small office
 * behind one address, can all take part; a script cannot stuff the count.
 */
export const PUBLIC_DAILY_CAP = 20;
