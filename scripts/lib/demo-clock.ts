// The instant the demo pretends it is: opinion collection of the 2026 round is
// open, its sessions tallies were published that morning (so their objection
// window is open) and last year's rectification deadlines have partly passed.
// `npm start` and the e2e runs pin the clock to it (KAOPING_NOW), so the demo
// shows the same state whatever the real date; `KAOPING_NOW=now npm start`
// runs on the real clock instead.
export const DEMO_NOW = '2026-11-23T10:00:00+08:00';

/** The clock `npm start` pins: KAOPING_NOW if set ("now": none), else the demo's. */
export function demoClock(env: Record<string, string | undefined> = process.env): string | undefined {
  const v = env.KAOPING_NOW;
  if (v === 'now') return undefined;
  return v || DEMO_NOW;
}
