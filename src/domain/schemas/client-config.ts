import { z } from 'zod';

/** `test`: Cloudflare's test keys emulated offline (a local stand-in widget); `live`: the real widget. */
export const turnstileMode = z.enum(['test', 'live']);
export type TurnstileMode = z.infer<typeof turnstileMode>;

/** What the participation pages need to know about this deployment before showing the Turnstile widget. */
export const clientConfig = z
  .object({
    turnstile: z.object({
      mode: turnstileMode,
      /** The widget's public site key (the stand-in of test mode does not use it; it may be empty there). */
      siteKey: z.string().max(100),
    }),
  })
  .meta({ id: 'ClientConfig' });
export type ClientConfig = z.infer<typeof clientConfig>;
